import { createHash, randomUUID } from 'node:crypto';
import type { FlowDocument } from '@signalbox/nodes';
import type { PrismaClient } from './connection.ts';

export interface PublishedVersion {
  id: string;
  flowId: string;
  number: number;
  checksum: string;
  document: FlowDocument;
}

/** A canonical JSON text (sorted keys), so equal documents have equal checksums. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function checksumOf(document: FlowDocument): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

export class FlowRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: { workspaceId: string; name: string; document: FlowDocument; id?: string; description?: string }): Promise<string> {
    const id = input.id ?? randomUUID();
    await this.prisma.flow.create({
      data: {
        id,
        workspaceId: input.workspaceId,
        name: input.name,
        description: input.description ?? '',
        draft: { create: { document: input.document as object } },
      },
    });
    return id;
  }

  /** Freezes the current draft as the next numbered, immutable version. */
  async publish(flowId: string, options: { note?: string; authorId?: string } = {}): Promise<PublishedVersion> {
    return this.prisma.$transaction(async (tx) => {
      const draft = await tx.flowDraft.findUnique({ where: { flowId } });
      if (!draft) throw new Error(`flow ${flowId} has no draft`);
      const latest = await tx.flowVersion.findFirst({ where: { flowId }, orderBy: { number: 'desc' } });
      const document = draft.document as unknown as FlowDocument;
      const version = await tx.flowVersion.create({
        data: {
          id: randomUUID(),
          flowId,
          number: (latest?.number ?? 0) + 1,
          document: document as object,
          checksum: checksumOf(document),
          note: options.note ?? '',
          authorId: options.authorId ?? null,
          parentId: latest?.id ?? null,
        },
      });
      await tx.flow.update({ where: { id: flowId }, data: { updatedAt: new Date() } });
      return { id: version.id, flowId, number: version.number, checksum: version.checksum, document };
    });
  }

  async get(flowId: string) {
    return this.prisma.flow.findUnique({ where: { id: flowId }, include: { draft: true, versions: { orderBy: { number: 'desc' } } } });
  }

  async list(workspaceId?: string) {
    return this.prisma.flow.findMany({ where: workspaceId ? { workspaceId } : {}, orderBy: { createdAt: 'asc' }, include: { versions: { select: { number: true }, orderBy: { number: 'desc' }, take: 1 } } });
  }

  async latestVersion(flowId: string): Promise<PublishedVersion | null> {
    const v = await this.prisma.flowVersion.findFirst({ where: { flowId }, orderBy: { number: 'desc' } });
    return v ? { id: v.id, flowId: v.flowId, number: v.number, checksum: v.checksum, document: v.document as unknown as FlowDocument } : null;
  }
}
