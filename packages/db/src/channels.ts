import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool, PrismaClient } from './connection.ts';
import type { SecretBox } from './secrets.ts';

export interface ChannelRecord {
  id: string;
  workspaceId: string;
  type: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
}

type ChannelRow = NonNullable<Awaited<ReturnType<PrismaClient['channel']['findUnique']>>>;

export interface ChannelSummary {
  id: string;
  type: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  flowId: string | null;
  bindingMode: string | null;
  createdAt: string;
}

export class ChannelRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: SecretBox,
  ) {}

  /** Creates a channel with a fresh signing secret (unless given) and binds it to a flow when one is named. */
  async create(input: {
    workspaceId: string;
    type: string;
    name: string;
    config?: Record<string, unknown>;
    credentials?: Record<string, string>;
    flowId?: string;
    id?: string;
  }): Promise<ChannelRecord> {
    const credentials = { secret: randomBytes(24).toString('base64url'), ...input.credentials };
    const id = input.id ?? randomUUID();
    await this.prisma.$transaction(async (tx) => {
      await tx.channel.create({
        data: {
          id,
          workspaceId: input.workspaceId,
          type: input.type,
          name: input.name,
          config: (input.config ?? {}) as object,
          credentials: this.secrets.seal(credentials),
        },
      });
      if (input.flowId) await tx.channelBinding.create({ data: { channelId: id, flowId: input.flowId, mode: 'latest' } });
    });
    return { id, workspaceId: input.workspaceId, type: input.type, name: input.name, enabled: true, config: input.config ?? {}, credentials };
  }

  async get(id: string): Promise<ChannelRecord | null> {
    const row = await this.prisma.channel.findUnique({ where: { id } });
    return row ? this.opened(row) : null;
  }

  /** A stored row with its credentials decrypted. */
  private opened(row: ChannelRow): ChannelRecord {
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      type: row.type,
      name: row.name,
      enabled: row.enabled,
      config: (row.config ?? {}) as Record<string, unknown>,
      credentials: row.credentials ? this.secrets.open<Record<string, string>>(row.credentials) : {},
    };
  }

  /** Lists channels without their secrets. */
  async list(workspaceId?: string): Promise<ChannelSummary[]> {
    const rows = await this.prisma.channel.findMany({
      where: workspaceId ? { workspaceId } : {},
      include: { binding: true },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      enabled: r.enabled,
      config: (r.config ?? {}) as Record<string, unknown>,
      flowId: r.binding?.flowId ?? null,
      bindingMode: r.binding?.mode ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  /** A channel of the workspace with its secrets opened and its health, or null. */
  async inWorkspace(workspaceId: string, id: string): Promise<(ChannelRecord & ChannelHealth) | null> {
    const row = await this.prisma.channel.findFirst({ where: { id, workspaceId } });
    if (!row) return null;
    return {
      ...this.opened(row),
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
      lastError: row.lastError,
      lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    };
  }

  /**
   * Changes a channel of the workspace. `credentials` replaces the named secrets only; the others are kept.
   * Returns false when the channel is not in the workspace.
   */
  async update(
    workspaceId: string,
    id: string,
    change: { name?: string; config?: Record<string, unknown>; credentials?: Record<string, string>; enabled?: boolean },
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.channel.findFirst({ where: { id, workspaceId }, select: { credentials: true } });
      if (!row) return false;
      const credentials = change.credentials
        ? this.secrets.seal({ ...(row.credentials ? this.secrets.open<Record<string, string>>(row.credentials) : {}), ...change.credentials })
        : undefined;
      await tx.channel.update({
        where: { id },
        data: {
          ...(change.name !== undefined ? { name: change.name } : {}),
          ...(change.config !== undefined ? { config: change.config as object } : {}),
          ...(credentials !== undefined ? { credentials } : {}),
          ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
        },
      });
      return true;
    });
  }

  async bind(channelId: string, flowId: string, versionId?: string): Promise<void> {
    const data = { flowId, mode: versionId ? 'pinned' : 'latest', versionId: versionId ?? null, updatedAt: new Date() };
    await this.prisma.channelBinding.upsert({ where: { channelId }, create: { channelId, ...data }, update: data });
  }
}

export interface ChannelHealth {
  lastEventAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface ChannelBindingView extends ChannelHealth {
  channelId: string;
  channelName: string;
  channelType: string;
  enabled: boolean;
  flowId: string | null;
  flowName: string | null;
  mode: 'latest' | 'pinned' | null;
  versionNumber: number | null;
}

/** Which flow answers each channel; needs no secrets, so the web app manages it without the channel key. */
export class ChannelBindings {
  constructor(private readonly prisma: PrismaClient) {}

  async list(workspaceId: string): Promise<ChannelBindingView[]> {
    const rows = await this.prisma.channel.findMany({
      where: { workspaceId },
      include: { binding: { include: { flow: { select: { name: true } }, version: { select: { number: true } } } } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({
      channelId: r.id,
      channelName: r.name,
      channelType: r.type,
      enabled: r.enabled,
      flowId: r.binding?.flowId ?? null,
      flowName: r.binding?.flow.name ?? null,
      mode: r.binding ? (r.binding.mode === 'pinned' ? 'pinned' : 'latest') : null,
      versionNumber: r.binding?.version?.number ?? null,
      lastEventAt: r.lastEventAt?.toISOString() ?? null,
      lastError: r.lastError,
      lastErrorAt: r.lastErrorAt?.toISOString() ?? null,
    }));
  }

  /**
   * Binds a channel to a flow's latest published version, or pins it to version `versionNumber`. Returns what was
   * wrong when the channel, flow or version is not in the workspace.
   */
  async bind(workspaceId: string, channelId: string, flowId: string, versionNumber: number | null): Promise<'ok' | 'no-channel' | 'no-flow' | 'no-version'> {
    if ((await this.prisma.channel.count({ where: { id: channelId, workspaceId } })) !== 1) return 'no-channel';
    if ((await this.prisma.flow.count({ where: { id: flowId, workspaceId } })) !== 1) return 'no-flow';
    let versionId: string | null = null;
    if (versionNumber !== null) {
      const version = await this.prisma.flowVersion.findFirst({ where: { flowId, number: versionNumber }, select: { id: true } });
      if (!version) return 'no-version';
      versionId = version.id;
    }
    const data = { flowId, mode: versionId ? 'pinned' : 'latest', versionId, updatedAt: new Date() };
    await this.prisma.channelBinding.upsert({ where: { channelId }, create: { channelId, ...data }, update: data });
    return 'ok';
  }

  async unbind(workspaceId: string, channelId: string): Promise<boolean> {
    const { count } = await this.prisma.channelBinding.deleteMany({ where: { channelId, channel: { workspaceId } } });
    return count === 1;
  }
}

export interface ChannelHealthNote {
  channelId: string;
  eventAt: Date | null;
  error: string | null;
  errorAt: Date | null;
}

/** Records when channels last received an event and their last error, in one statement. */
export async function recordChannelHealth(pool: Pool, notes: ChannelHealthNote[]): Promise<void> {
  if (notes.length === 0) return;
  await pool.query(
    `UPDATE channel SET
       last_event_at = COALESCE(n.event_at, channel.last_event_at),
       last_error = CASE WHEN n.error_at IS NULL THEN channel.last_error ELSE n.error END,
       last_error_at = COALESCE(n.error_at, channel.last_error_at)
     FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::timestamptz[]) AS n(channel_id, event_at, error, error_at)
     WHERE channel.id = n.channel_id`,
    [notes.map((n) => n.channelId), notes.map((n) => n.eventAt), notes.map((n) => n.error), notes.map((n) => n.errorAt)],
  );
}

/**
 * Takes or renews `owner`'s lease on each channel for `ttlMs`: granted when nobody holds it, `owner` already
 * does, or the holder's lease ran out. Returns the channels `owner` holds now, in one statement.
 */
export async function claimChannelLeases(pool: Pool, owner: string, channelIds: readonly string[], ttlMs: number): Promise<Set<string>> {
  if (channelIds.length === 0) return new Set();
  const { rows } = await pool.query<{ channel_id: string }>(
    `INSERT INTO channel_lease (channel_id, owner, expires_at)
     SELECT c.id, $2, now() + ($3::int * interval '1 millisecond') FROM channel c WHERE c.id = ANY($1::text[])
     ON CONFLICT (channel_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE channel_lease.owner = EXCLUDED.owner OR channel_lease.expires_at < now()
     RETURNING channel_id`,
    [channelIds, owner, Math.round(ttlMs)],
  );
  return new Set(rows.map((r) => r.channel_id));
}

/** Gives up `owner`'s leases (a process stopping), so another process takes the channels at once. */
export async function releaseChannelLeases(pool: Pool, owner: string): Promise<void> {
  await pool.query('DELETE FROM channel_lease WHERE owner = $1', [owner]);
}
