import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from './connection.ts';
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
    if (!row) return null;
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

  async bind(channelId: string, flowId: string, versionId?: string): Promise<void> {
    const data = { flowId, mode: versionId ? 'pinned' : 'latest', versionId: versionId ?? null, updatedAt: new Date() };
    await this.prisma.channelBinding.upsert({ where: { channelId }, create: { channelId, ...data }, update: data });
  }
}

export interface ChannelBindingView {
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
