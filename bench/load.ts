import { Agent, request } from 'node:http';
import { SIGNATURE_HEADER, sign } from '@signalbox/channels';

/**
 * The load generator: signed generic-webhook requests (DESIGN.md section 5), sent open loop at an offered
 * rate (scheduled by the clock, never by waiting for answers, so a slow runner cannot slow the offer down)
 * or closed loop by a fixed number of senders that each wait for their answer (the maximum the runner takes).
 */

export interface PhaseLoad {
  /** performance.now() when the phase started sending and when its last answer came back. */
  startedAt: number;
  endedAt: number;
  sent: number;
  /** Event id -> when its request was handed to the socket; only events answered 202. */
  accepted: Map<string, number>;
  ackMs: number[];
  /** When each of `ackMs` was sent, in ms since `startedAt`. */
  ackSentMs: number[];
  /** How late the generator dispatched each request against its schedule (open loop only). */
  lagMs: number[];
  /** Non-202 answers by status, and transport errors under "error: <code>". */
  failures: Record<string, number>;
}

export class WebhookClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly channelId: string,
    private readonly secret: string,
    connections: number,
    private readonly conversations: number,
  ) {
    this.url = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  /** Sends message `n` of a phase; resolves with the HTTP status (or throws on a transport error). */
  send(id: string, n: number): Promise<number> {
    const conversation = n % this.conversations;
    const body = JSON.stringify({ id, conversationId: `c-${conversation}`, from: { id: `u-${conversation}` }, text: `hola ${n}` });
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path: `/hooks/${this.channelId}`,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [SIGNATURE_HEADER]: sign(body, this.secret) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.setTimeout(10_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function newLoad(): PhaseLoad {
  const now = performance.now();
  return { startedAt: now, endedAt: now, sent: 0, accepted: new Map(), ackMs: [], ackSentMs: [], lagMs: [], failures: {} };
}

async function sendOne(client: WebhookClient, load: PhaseLoad, id: string, n: number): Promise<void> {
  const at = performance.now();
  load.sent++;
  try {
    const status = await client.send(id, n);
    const done = performance.now();
    load.endedAt = Math.max(load.endedAt, done);
    if (status === 202) {
      load.accepted.set(id, at);
      load.ackMs.push(done - at);
      load.ackSentMs.push(at - load.startedAt);
    } else {
      load.failures[String(status)] = (load.failures[String(status)] ?? 0) + 1;
    }
  } catch (error) {
    load.endedAt = Math.max(load.endedAt, performance.now());
    const key = `error: ${(error as { code?: string }).code ?? (error as Error).message}`;
    load.failures[key] = (load.failures[key] ?? 0) + 1;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Offers `rate` messages a second for `seconds`, on schedule whatever the answers take. */
export async function openLoop(client: WebhookClient, phase: string, rate: number, seconds: number): Promise<PhaseLoad> {
  const load = newLoad();
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const inFlight: Promise<void>[] = [];
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && load.startedAt + next * interval <= now) {
      load.lagMs.push(now - (load.startedAt + next * interval));
      inFlight.push(sendOne(client, load, `${phase}-${next}`, next));
      next++;
    }
    if (next < total) await sleep(Math.max(0, load.startedAt + next * interval - performance.now()));
  }
  await Promise.all(inFlight);
  return load;
}

/** `senders` loops that each send the next message as soon as the previous one is answered, for `seconds`. */
export async function closedLoop(client: WebhookClient, phase: string, senders: number, seconds: number): Promise<PhaseLoad> {
  const load = newLoad();
  const deadline = load.startedAt + seconds * 1000;
  let next = 0;
  const sender = async () => {
    while (performance.now() < deadline) {
      const n = next++;
      await sendOne(client, load, `${phase}-${n}`, n);
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  return load;
}
