import { SecretBox } from '@signalbox/db/app';

/**
 * What the web app needs from the runner's side of the house: the key that seals channel credentials, the
 * runner's addresses (internal, for the admin API; public, for the webhook URLs shops paste into platforms),
 * and the admin API's token. `signalbox start` passes them in the environment.
 */
const ADMIN_TOKEN_PURPOSE = 'signalbox runner admin';

export function channelSecretBox(): SecretBox | null {
  const key = process.env.SIGNALBOX_SECRET_KEY;
  return key && key.length >= 16 ? new SecretBox(key) : null;
}

export function runnerPublicUrl(): string {
  return (process.env.RUNNER_PUBLIC_URL ?? process.env.RUNNER_URL ?? 'http://127.0.0.1:3001').replace(/\/+$/, '');
}

export type RunnerAnswer = { status: number; json: unknown };

/** Calls the runner's admin API; a runner that cannot be reached is an answer too (status 0). */
export async function callRunnerAdmin(path: string, body: unknown, box: SecretBox): Promise<RunnerAnswer> {
  const base = (process.env.RUNNER_URL ?? 'http://127.0.0.1:3001').replace(/\/+$/, '');
  try {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${box.derive(ADMIN_TOKEN_PURPOSE)}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, json: await response.json().catch(() => null) };
  } catch (error) {
    return { status: 0, json: { error: 'runner_unreachable', message: `the runner at ${base} did not answer: ${(error as Error).message}` } };
  }
}
