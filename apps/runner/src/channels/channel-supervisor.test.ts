import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ChannelRecord, ChannelSummary } from '@signalbox/db';
import { ChannelSupervisor, type ChannelLease } from './channel-supervisor.ts';

/**
 * The supervisor's contract with fakes for the channel table and the clients; what the connector tests
 * (mqtt-connector.test.ts, test/email-imap.test.ts) do not reach without breaking a real secret or racing stop().
 * A channel's `config.host` is its settings: '' means "no client wanted", 'bad…' is invalid.
 */
interface Stored {
  enabled: boolean;
  host: string;
  unreadable?: boolean;
}
interface Client {
  host: string;
  closed: boolean;
}

function setup(options: { open?: (host: string) => Promise<void>; lease?: ChannelLease } = {}) {
  const table = new Map<string, Stored>();
  const opened: Client[] = [];
  const healthNotes: string[] = [];
  const logs: { msg: string; channelId?: string; why?: string }[] = [];
  const summary = (id: string, c: Stored): ChannelSummary => ({
    id,
    type: 'fake',
    name: id,
    enabled: c.enabled,
    config: { host: c.host },
    flowId: null,
    bindingMode: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const supervisor = new ChannelSupervisor<{ ok: true; host: string }, Client>({
    lease: options.lease,
    repository: {
      list: () => Promise.resolve([...table].map(([id, c]) => summary(id, c))),
      get: (id) => {
        const c = table.get(id);
        if (c?.unreadable) return Promise.reject(new Error('bad decrypt'));
        return Promise.resolve(c ? { ...summary(id, c), workspaceId: 'w', credentials: {} } : null);
      },
    },
    health: { error: (_id, message) => void healthNotes.push(message) },
    log: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) }),
    wants: (c) => c.type === 'fake',
    settingsOf: (c: ChannelRecord) => {
      const host = String(c.config.host);
      if (host === '') return null;
      return host.startsWith('bad') ? { ok: false, error: `invalid host ${host}` } : { ok: true, host };
    },
    identity: ({ host }) => host,
    describe: ({ host }) => ({ host }),
    open: async (_channel, _summary, { host }) => {
      await options.open?.(host);
      const client = { host, closed: false };
      opened.push(client);
      return client;
    },
    close: (client) => {
      client.closed = true;
      return Promise.resolve();
    },
    wording: { listFailed: 'list failed', readFailed: 'read failed', gone: 'gone', notStarted: 'not started', started: 'started', stopped: 'stopped' },
  });
  const live = () => opened.filter((c) => !c.closed).map((c) => c.host);
  return { table, supervisor, opened, live, healthNotes, logs };
}

describe('ChannelSupervisor', () => {
  it('reopens a client only when its settings change', async () => {
    const { table, supervisor, opened, live } = setup();
    table.set('a', { enabled: true, host: 'one' });
    await supervisor.refresh();
    await supervisor.refresh();
    expect(opened.map((c) => c.host)).toEqual(['one']);
    table.set('a', { enabled: true, host: 'two' });
    await supervisor.refresh();
    expect(opened.map((c) => c.host)).toEqual(['one', 'two']);
    expect(live()).toEqual(['two']);
    await supervisor.stop();
  });

  it('keeps a channel on its last good settings while its secrets cannot be read', async () => {
    const { table, supervisor, live, logs } = setup();
    table.set('a', { enabled: true, host: 'one' });
    await supervisor.refresh();
    table.set('a', { enabled: true, host: 'two', unreadable: true });
    await supervisor.refresh();
    expect(live()).toEqual(['one']);
    expect(logs.filter((l) => l.msg === 'read failed')).toHaveLength(1);
    await supervisor.stop();
  });

  it('closes the client of a channel that no longer asks for one, or is disabled', async () => {
    const { table, supervisor, live, logs } = setup();
    table.set('a', { enabled: true, host: 'one' });
    table.set('b', { enabled: true, host: 'two' });
    await supervisor.refresh();
    table.set('a', { enabled: true, host: '' });
    table.set('b', { enabled: false, host: 'two' });
    await supervisor.refresh();
    expect(live()).toEqual([]);
    expect(logs.filter((l) => l.msg === 'stopped').map((l) => [l.channelId, l.why])).toEqual([
      ['b', 'gone'],
      ['a', 'gone'],
    ]);
  });

  it('reports invalid settings once per distinct error, and again after they were fixed and broke', async () => {
    const { table, supervisor, live, healthNotes } = setup();
    table.set('a', { enabled: true, host: 'bad-1' });
    await supervisor.refresh();
    await supervisor.refresh();
    table.set('a', { enabled: true, host: 'bad-2' });
    await supervisor.refresh();
    table.set('a', { enabled: true, host: 'one' });
    await supervisor.refresh();
    expect(live()).toEqual(['one']);
    table.set('a', { enabled: true, host: 'bad-2' });
    await supervisor.refresh();
    expect(live()).toEqual([]);
    expect(healthNotes).toEqual(['invalid host bad-1', 'invalid host bad-2', 'invalid host bad-2']);
  });

  it('closes a client that finished opening after stop() began, without reporting it started', async () => {
    let connect = () => {};
    const { table, supervisor, opened, logs } = setup({ open: () => new Promise<void>((resolve) => (connect = resolve)) });
    table.set('a', { enabled: true, host: 'one' });
    const refreshing = supervisor.refresh();
    await new Promise((r) => setTimeout(r, 10));
    const stopping = supervisor.stop();
    connect();
    await Promise.all([refreshing, stopping]);
    expect(opened).toEqual([{ host: 'one', closed: true }]);
    expect(logs.some((l) => l.msg === 'started')).toBe(false);
  });

  it('runs only the channels this process holds a lease on, closes one whose lease moved, and releases on stop', async () => {
    const held = new Set(['a']);
    const claims: string[][] = [];
    let released = false;
    const lease: ChannelLease = {
      claim: (ids) => {
        claims.push([...ids].sort());
        return Promise.resolve(new Set(ids.filter((id) => held.has(id))));
      },
      release: () => {
        released = true;
        return Promise.resolve();
      },
    };
    const { table, supervisor, live, logs } = setup({ lease });
    table.set('a', { enabled: true, host: 'one' });
    table.set('b', { enabled: true, host: 'two' });
    await supervisor.refresh();
    expect(live()).toEqual(['one']);
    held.delete('a');
    held.add('b');
    await supervisor.refresh();
    expect(live()).toEqual(['two']);
    expect(logs.find((l) => l.msg === 'stopped' && l.channelId === 'a')?.why).toBe('another runner process holds the channel');
    // Every refresh asks to renew every enabled channel: that keeps the leases this process holds alive.
    expect(claims).toEqual([['a', 'b'], ['a', 'b']]);
    await supervisor.stop();
    expect(released).toBe(true);
  });
});
