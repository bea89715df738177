import { createHmac } from 'node:crypto';
import pg from 'pg';

/**
 * How fast this machine is, so benchmark runs on different machines can be compared: machines of one kind
 * differ (one ran the whole test suite 1.5 times slower than another). Measured before the runner starts,
 * on the quiet machine: a fixed piece of the work every message costs (JSON in and out, an HMAC, a little
 * string handling), and the round trip of an empty Postgres query. Lower is faster for both.
 */
export interface MachineSpeed {
  /** Milliseconds for 20,000 rounds of the reference work; the median of 5 tries. */
  referenceMs: number;
  /** Microseconds per `SELECT 1` on one connection; the median of 5 tries of 500. */
  postgresRoundTripUs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function referenceWork(rounds: number): number {
  let checksum = 0;
  for (let i = 0; i < rounds; i++) {
    const body = JSON.stringify({ id: `m-${i}`, conversationId: `c-${i % 1000}`, from: { id: `u-${i % 1000}`, name: 'Ada' }, text: `hola ${i}, ¿dónde está mi pedido?` });
    const parsed = JSON.parse(body) as { text: string };
    checksum += createHmac('sha256', 'calibration-secret').update(body).digest('hex').charCodeAt(3) + parsed.text.toLowerCase().split(' ').length;
  }
  return checksum;
}

export async function measureMachineSpeed(databaseUrl: string): Promise<MachineSpeed> {
  const reference: number[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = performance.now();
    referenceWork(20_000);
    reference.push(performance.now() - started);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const roundTrips: number[] = [];
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const started = performance.now();
      for (let i = 0; i < 500; i++) await client.query('SELECT 1');
      roundTrips.push(((performance.now() - started) * 1000) / 500);
    }
  } finally {
    await client.end();
  }
  return { referenceMs: Math.round(median(reference)), postgresRoundTripUs: Math.round(median(roundTrips)) };
}
