/** What the landing page knows about the runner: its readiness checks and the counters from its /metrics. */
export type RunnerStatus =
  | { state: 'ready' | 'not-ready'; checks: Record<string, string>; counters: Counters | null }
  | { state: 'unreachable'; reason: string };

export type Counters = { accepted: number; processed: number; sent: number };

// A page render must not hang on a runner that accepts connections but never answers.
const TIMEOUT_MS = 2_000;

export const runnerUrl = (process.env.RUNNER_URL ?? 'http://127.0.0.1:3001').replace(/\/+$/, '');

export async function fetchRunnerStatus(): Promise<RunnerStatus> {
  let ready: Response;
  try {
    ready = await fetch(`${runnerUrl}/readyz`, { cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    return { state: 'unreachable', reason: describeFetchError(error) };
  }
  const body: unknown = await ready.json().catch(() => null);
  const checks = checksOf(body);
  if (!checks) return { state: 'unreachable', reason: `The runner's /readyz answered ${ready.status} without readiness checks` };

  const metrics = await fetch(`${runnerUrl}/metrics`, { cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) })
    .then((r) => (r.ok ? r.text() : null))
    .catch(() => null);
  return { state: ready.ok ? 'ready' : 'not-ready', checks, counters: metrics === null ? null : countersOf(metrics) };
}

function checksOf(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== 'object' || !('checks' in body)) return null;
  const { checks } = body;
  if (!checks || typeof checks !== 'object') return null;
  return Object.fromEntries(Object.entries(checks).map(([name, value]) => [name, String(value)]));
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `The runner did not answer within ${TIMEOUT_MS / 1000} s`;
  // undici hides the socket error (ECONNREFUSED, ENOTFOUND …) in `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
  return `The runner did not answer${cause ? `: ${cause}` : ''}`;
}

/** Which counter each metric adds to; a labelled counter has no samples until its first increment. */
const COUNTER_OF_METRIC = new Map<string, keyof Counters>([
  ['signalbox_events_accepted_total', 'accepted'],
  ['signalbox_events_processed_total', 'processed'],
  ['signalbox_messages_sent_total', 'sent'],
]);

/** Each counter is the sum of every sample of its metric over all its label sets. */
export function countersOf(prometheusText: string): Counters {
  const counters: Counters = { accepted: 0, processed: 0, sent: 0 };
  for (const line of prometheusText.split('\n')) {
    const [, name = '', rawValue] = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line) ?? [];
    const counter = COUNTER_OF_METRIC.get(name);
    const value = Number(rawValue);
    if (counter && Number.isFinite(value)) counters[counter] += value;
  }
  return counters;
}
