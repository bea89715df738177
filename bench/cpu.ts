import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU use per process group, read from /proc (Linux only; elsewhere every figure is null). pidstat is not
 * on these machines, and the bench wants the split between runner, Postgres, Redis and itself per phase.
 *
 * The machine is shared (other people's runners, tests and dev servers use the same cores, Postgres and
 * Redis), so Postgres is split: backends of the bench database plus the server's own processes (WAL writer,
 * checkpointer, ...) count as "postgres"; backends of other databases count as "other", with every process
 * that is none of ours. Redis is one process for every user: its figure includes theirs.
 */

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every mainstream Linux build.
const AVAILABLE = existsSync('/proc/stat');

export interface CpuSnapshot {
  at: number;
  ticks: { runner: number; postgres: number; redis: number; bench: number };
  /** Busy ticks of all cores together, and all ticks (busy + idle) of all cores. */
  machine: { busy: number; total: number } | null;
}

export interface CpuShare {
  /** Percent of one core, so 200 means both cores of this 2-core machine. */
  runner: number | null;
  postgres: number | null;
  redis: number | null;
  bench: number | null;
  /** Everything else that kept the cores busy: other users' processes, other databases' backends, the kernel. */
  other: number | null;
  /** Percent of all cores busy, of any process. */
  machineBusy: number | null;
}

function statFields(pid: string): { comm: string; ticks: number } | null {
  // utime + stime only: children's time (cutime) would bring in every exited backend of every database.
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may itself contain spaces or parentheses: split after the last ')'.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const rest = text.slice(close + 2).split(' ');
    // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
    const ticks = Number(rest[11]) + Number(rest[12]);
    return { comm, ticks };
  } catch {
    return null; // the process exited between readdir and read
  }
}

function machineTicks(): CpuSnapshot['machine'] {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** A backend's title is "postgres: 15/main: <user> <database> <client> <state>"; auxiliary processes have no client. */
function postgresIsOurs(pid: string, database: string): boolean {
  try {
    const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const backend = /:\s+\S+\s+(\S+)\s+(\[local\]|[\d.:a-f]+\(\d+\))/.exec(title);
    return !backend || backend[1] === database;
  } catch {
    return false;
  }
}

/** `runnerPid` may list several processes (a split deployment); their CPU adds up as "runner". */
export function snapshotCpu(runnerPid: number | undefined | (number | undefined)[], database: string): CpuSnapshot {
  const runnerPids = new Set((Array.isArray(runnerPid) ? runnerPid : [runnerPid]).filter((p) => p !== undefined).map(String));
  const ticks = { runner: 0, postgres: 0, redis: 0, bench: 0 };
  const pids = AVAILABLE ? readdirSync('/proc').filter((name) => /^\d+$/.test(name)) : [];
  for (const pid of pids) {
    const stat = statFields(pid);
    if (!stat) continue;
    if (runnerPids.has(pid)) ticks.runner += stat.ticks;
    else if (pid === String(process.pid)) ticks.bench = stat.ticks;
    else if (stat.comm === 'postgres' && postgresIsOurs(pid, database)) ticks.postgres += stat.ticks;
    else if (stat.comm === 'redis-server') ticks.redis += stat.ticks;
  }
  return { at: performance.now(), ticks, machine: AVAILABLE ? machineTicks() : null };
}

export function cpuBetween(from: CpuSnapshot, to: CpuSnapshot): CpuShare {
  const seconds = (to.at - from.at) / 1000;
  if (!AVAILABLE || seconds <= 0 || !from.machine || !to.machine || to.machine.total <= from.machine.total) {
    return { runner: null, postgres: null, redis: null, bench: null, other: null, machineBusy: null };
  }
  const share = (key: keyof CpuSnapshot['ticks']) => Math.round(((to.ticks[key] - from.ticks[key]) / TICKS_PER_SECOND / seconds) * 100);
  const busy = to.machine.busy - from.machine.busy;
  const cores = cpus().length;
  // All cores' busy ticks over the window, in percent of one core (so up to cores x 100).
  const machineOneCore = Math.round((busy / (to.machine.total - from.machine.total)) * cores * 100);
  const ours = share('runner') + share('postgres') + share('redis') + share('bench');
  return {
    runner: share('runner'),
    postgres: share('postgres'),
    redis: share('redis'),
    bench: share('bench'),
    other: Math.max(0, machineOneCore - ours),
    machineBusy: Math.round((busy / (to.machine.total - from.machine.total)) * 100),
  };
}

/** CPU milliseconds each part spent per unit of work between two snapshots (contention does not change it much). */
export function cpuMsPer(from: CpuSnapshot, to: CpuSnapshot, units: number): { runner: number; postgres: number; redis: number } | null {
  if (!AVAILABLE || units <= 0) return null;
  const ms = (key: keyof CpuSnapshot['ticks']) => Number((((to.ticks[key] - from.ticks[key]) / TICKS_PER_SECOND) * 1000 / units).toFixed(2));
  return { runner: ms('runner'), postgres: ms('postgres'), redis: ms('redis') };
}
