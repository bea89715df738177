'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../trpc/client.tsx';

const HEARTBEAT_MS = 10_000;

/** `crypto.randomUUID` exists only on HTTPS and localhost; a self-hosted install is often plain HTTP on a LAN. */
function newTabId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Announces this tab on the flow every few seconds and returns the other people who have it open. */
export function usePresence(flowId: string): { userId: string; name: string }[] {
  const trpc = useTRPC();
  const [others, setOthers] = useState<{ userId: string; name: string }[]>([]);
  const touch = useMutation(trpc.flows.presence.mutationOptions());
  const leave = useMutation(trpc.flows.leave.mutationOptions());
  const { mutateAsync: touchAsync } = touch;
  const { mutate: leaveNow } = leave;

  useEffect(() => {
    const tabId = newTabId();
    let stopped = false;
    let inFlight: Promise<void> = Promise.resolve();
    const beat = async () => {
      try {
        const seen = await touchAsync({ id: flowId, tabId });
        // One person with two tabs is shown once.
        if (!stopped) setOthers([...new Map(seen.map((p) => [p.userId, { userId: p.userId, name: p.name }])).values()]);
      } catch {
        // Presence is a courtesy: a missed heartbeat must not disturb editing.
      }
    };
    inFlight = beat();
    // Closing the tab: say goodbye with a request the browser finishes after the page is gone.
    const onPageHide = () => {
      void fetch('/api/trpc/flows.leave', { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ json: { id: flowId, tabId } }) }).catch(() => undefined);
    };
    window.addEventListener('pagehide', onPageHide);
    const timer = setInterval(() => {
      inFlight = beat();
    }, HEARTBEAT_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      window.removeEventListener('pagehide', onPageHide);
      // After the last heartbeat lands, or it would write the tab back after the goodbye.
      void inFlight.finally(() => leaveNow({ id: flowId, tabId }));
    };
  }, [flowId, touchAsync, leaveNow]);

  return others;
}
