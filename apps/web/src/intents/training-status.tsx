'use client';

import { useEffect, useState } from 'react';
import type { RouterOutputs } from '../trpc/client.tsx';
import { Badge } from '../ui/primitives.tsx';
import { relativeTime } from '../ui/relative-time.ts';

export type TrainingStatus = RouterOutputs['intents']['status'];

/** "12 s ago" for the first minute (an editor waits for a training to finish), then "3 minutes ago". */
function ago(date: Date, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(date).getTime()) / 1000));
  return seconds < 60 ? `${seconds} s ago` : relativeTime(date);
}

/** The model's state: training… / ready, trained N s ago / failed: why. */
export function TrainingBadge({ status }: { status: TrainingStatus }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span data-testid="training-status" aria-live="polite" className="inline-flex max-w-md items-center gap-2 text-xs text-slate-500">
      {status.state === 'training' ? (
        <Badge tone="amber">
          <span className="size-1.5 animate-pulse rounded-full bg-amber-500" aria-hidden="true" />
          Training…
        </Badge>
      ) : status.state === 'ready' ? (
        <Badge tone="green">Ready</Badge>
      ) : (
        <Badge tone="red">Failed</Badge>
      )}
      <span className="truncate" title={status.error ?? undefined}>
        {status.state === 'failed'
          ? status.error
          : status.trainedAt
            ? `trained ${ago(status.trainedAt, now)} · ${status.intentCount} intents, ${status.phraseCount} phrases`
            : 'first model on its way'}
      </span>
    </span>
  );
}
