import { createHash, randomUUID } from 'node:crypto';
import { loadFlowDocument, type FlowDocument } from '@signalbox/nodes';
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

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Adds `document` as the flow's next numbered version, inside the caller's transaction. */
async function appendVersion(tx: Transaction, flowId: string, document: FlowDocument, meta: { note: string; authorId: string | null }): Promise<PublishedVersion> {
  const latest = await tx.flowVersion.findFirst({ where: { flowId }, orderBy: { number: 'desc' } });
  const version = await tx.flowVersion.create({
    data: {
      id: randomUUID(),
      flowId,
      number: (latest?.number ?? 0) + 1,
      document: document as object,
      checksum: checksumOf(document),
      note: meta.note,
      authorId: meta.authorId,
      parentId: latest?.id ?? null,
    },
  });
  await tx.flow.update({ where: { id: flowId }, data: { updatedAt: new Date() } });
  return { id: version.id, flowId, number: version.number, checksum: version.checksum, document };
}

export class FlowRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: { workspaceId: string; name: string; document: FlowDocument; id?: string; description?: string; userId?: string }): Promise<string> {
    const id = input.id ?? randomUUID();
    await this.prisma.flow.create({
      data: {
        id,
        workspaceId: input.workspaceId,
        name: input.name,
        description: input.description ?? '',
        draft: { create: { document: input.document as object, updatedBy: input.userId ?? null } },
      },
    });
    return id;
  }

  /** Freezes the current draft as the next numbered, immutable version. */
  async publish(flowId: string, options: { note?: string; authorId?: string } = {}): Promise<PublishedVersion> {
    return this.prisma.$transaction(async (tx) => {
      const draft = await tx.flowDraft.findUnique({ where: { flowId } });
      if (!draft) throw new Error(`flow ${flowId} has no draft`);
      return appendVersion(tx, flowId, storedDocument(draft.document), { note: options.note ?? '', authorId: options.authorId ?? null });
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

/** Reads a document the database holds: it was validated when saved, so a failure here means a corrupt store. */
export function storedDocument(json: unknown): FlowDocument {
  const loaded = loadFlowDocument(json);
  if (!loaded.ok) throw new Error(`stored flow document is invalid: ${loaded.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  return loaded.document;
}

export interface FlowListItem {
  id: string;
  name: string;
  description: string;
  archived: boolean;
  updatedAt: Date;
  latestVersion: number | null;
  nodeCount: number;
}

export interface VersionSummary {
  id: string;
  number: number;
  note: string;
  checksum: string;
  authorName: string | null;
  createdAt: Date;
}

export interface DraftState {
  document: FlowDocument;
  revision: number;
  updatedAt: Date;
  updatedByName: string | null;
}

export type SaveResult =
  | { status: 'saved'; revision: number; updatedAt: Date }
  | { status: 'conflict'; current: DraftState }
  | { status: 'missing' };

/** The flows a workspace's people work on in the editor: every method is scoped to one workspace. */
export class FlowLibrary {
  constructor(private readonly prisma: PrismaClient) {}

  async search(workspaceId: string, options: { query?: string; archived?: boolean; offset?: number; limit?: number }): Promise<{ items: FlowListItem[]; total: number }> {
    const query = options.query?.trim();
    const where = {
      workspaceId,
      archived: options.archived ?? false,
      ...(query ? { OR: [{ name: { contains: query, mode: 'insensitive' as const } }, { description: { contains: query, mode: 'insensitive' as const } }] } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.flow.findMany({
        where,
        orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
        skip: options.offset ?? 0,
        take: options.limit ?? 50,
        include: { draft: true, versions: { select: { number: true }, orderBy: { number: 'desc' }, take: 1 } },
      }),
      this.prisma.flow.count({ where }),
    ]);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        archived: r.archived,
        updatedAt: r.draft && r.draft.updatedAt > r.updatedAt ? r.draft.updatedAt : r.updatedAt,
        latestVersion: r.versions[0]?.number ?? null,
        nodeCount: r.draft ? nodeCountOf(r.draft.document) : 0,
      })),
    };
  }

  async create(workspaceId: string, input: { name: string; description?: string; document: FlowDocument; userId?: string }): Promise<string> {
    return new FlowRepository(this.prisma).create({ workspaceId, ...input });
  }

  /** A new flow whose draft is a copy of this one's (named "<name> (copy)" unless `name` is given); versions are not copied. */
  async duplicate(workspaceId: string, flowId: string, options: { name?: string; userId?: string } = {}): Promise<string | null> {
    const source = await this.prisma.flow.findFirst({ where: { id: flowId, workspaceId }, include: { draft: true } });
    if (!source?.draft) return null;
    return this.create(workspaceId, { name: options.name ?? `${source.name} (copy)`, description: source.description, document: storedDocument(source.draft.document), userId: options.userId });
  }

  /** The newest published version of a flow in this workspace, for a jump in the editor's preview. */
  async latestVersion(workspaceId: string, flowId: string): Promise<PublishedVersion | null> {
    return (await this.exists(workspaceId, flowId)) ? new FlowRepository(this.prisma).latestVersion(flowId) : null;
  }

  async update(workspaceId: string, flowId: string, data: { name?: string; description?: string; archived?: boolean }): Promise<boolean> {
    const { count } = await this.prisma.flow.updateMany({ where: { id: flowId, workspaceId }, data: { ...data, updatedAt: new Date() } });
    return count === 1;
  }

  async exists(workspaceId: string, flowId: string): Promise<boolean> {
    return (await this.prisma.flow.count({ where: { id: flowId, workspaceId } })) === 1;
  }

  /** Everything the editor opens with. */
  async open(workspaceId: string, flowId: string) {
    const flow = await this.prisma.flow.findFirst({ where: { id: flowId, workspaceId }, include: { draft: true } });
    if (!flow?.draft) return null;
    return {
      flow: { id: flow.id, name: flow.name, description: flow.description, archived: flow.archived },
      draft: await this.draftState(flow.draft),
      versions: await this.versions(flowId),
    };
  }

  async versions(flowId: string): Promise<VersionSummary[]> {
    const rows = await this.prisma.flowVersion.findMany({ where: { flowId }, orderBy: { number: 'desc' } });
    const authors = await this.names(rows.map((r) => r.authorId));
    return rows.map((r) => ({ id: r.id, number: r.number, note: r.note, checksum: r.checksum, authorName: r.authorId ? (authors.get(r.authorId) ?? null) : null, createdAt: r.createdAt }));
  }

  async version(workspaceId: string, flowId: string, number: number): Promise<(VersionSummary & { document: FlowDocument }) | null> {
    const row = await this.prisma.flowVersion.findFirst({ where: { flowId, number, flow: { workspaceId } } });
    if (!row) return null;
    const authors = await this.names([row.authorId]);
    return {
      id: row.id,
      number: row.number,
      note: row.note,
      checksum: row.checksum,
      authorName: row.authorId ? (authors.get(row.authorId) ?? null) : null,
      createdAt: row.createdAt,
      document: storedDocument(row.document),
    };
  }

  /** Saves the draft only if nobody saved since `baseRevision`; otherwise returns what they saved. */
  async saveDraft(workspaceId: string, flowId: string, input: { document: FlowDocument; baseRevision: number; userId: string }): Promise<SaveResult> {
    const updatedAt = new Date();
    const { count } = await this.prisma.flowDraft.updateMany({
      where: { flowId, revision: input.baseRevision, flow: { workspaceId } },
      data: { document: input.document as object, revision: { increment: 1 }, updatedBy: input.userId, updatedAt },
    });
    if (count === 1) return { status: 'saved', revision: input.baseRevision + 1, updatedAt };
    const draft = await this.prisma.flowDraft.findFirst({ where: { flowId, flow: { workspaceId } } });
    return draft ? { status: 'conflict', current: await this.draftState(draft) } : { status: 'missing' };
  }

  /**
   * Publishes the draft as it stood at `revision` (what the user validated and saw); a newer draft is a
   * conflict rather than a surprise in production.
   */
  async publishDraft(
    workspaceId: string,
    flowId: string,
    input: { revision: number; note: string; authorId: string; check(document: FlowDocument): string | null },
  ): Promise<{ status: 'published'; version: PublishedVersion } | { status: 'conflict' } | { status: 'invalid'; reason: string } | { status: 'missing' }> {
    return this.prisma.$transaction(async (tx) => {
      // FOR UPDATE: two publishes of one draft must not both take the next number.
      const locked = await tx.$queryRaw<{ revision: number; document: unknown }[]>`
        SELECT d.revision, d.document FROM flow_draft d JOIN flow f ON f.id = d.flow_id
        WHERE d.flow_id = ${flowId} AND f.workspace_id = ${workspaceId} FOR UPDATE OF d`;
      const draft = locked[0];
      if (!draft) return { status: 'missing' as const };
      if (draft.revision !== input.revision) return { status: 'conflict' as const };
      const document = storedDocument(draft.document);
      const problem = input.check(document);
      if (problem) return { status: 'invalid' as const, reason: problem };
      return { status: 'published' as const, version: await appendVersion(tx, flowId, document, { note: input.note, authorId: input.authorId }) };
    });
  }

  /** Who else has the flow open: records this tab and returns the other tabs seen within `windowMs`. */
  async touchPresence(flowId: string, tabId: string, userId: string, windowMs = 30_000): Promise<{ userId: string; name: string; tabId: string }[]> {
    const now = new Date();
    await this.prisma.flowPresence.upsert({
      where: { flowId_tabId: { flowId, tabId } },
      create: { flowId, tabId, userId, seenAt: now },
      update: { seenAt: now, userId },
    });
    const rows = await this.prisma.flowPresence.findMany({
      where: { flowId, tabId: { not: tabId }, seenAt: { gt: new Date(now.getTime() - windowMs) } },
      include: { user: { select: { name: true } } },
      orderBy: { seenAt: 'asc' },
    });
    return rows.map((r) => ({ userId: r.userId, name: r.user.name, tabId: r.tabId }));
  }

  async leavePresence(flowId: string, tabId: string): Promise<void> {
    await this.prisma.flowPresence.deleteMany({ where: { flowId, tabId } });
  }

  private async draftState(draft: { document: unknown; revision: number; updatedAt: Date; updatedBy: string | null }): Promise<DraftState> {
    const names = await this.names([draft.updatedBy]);
    return { document: storedDocument(draft.document), revision: draft.revision, updatedAt: draft.updatedAt, updatedByName: draft.updatedBy ? (names.get(draft.updatedBy) ?? null) : null };
  }

  private async names(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const users = await this.prisma.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
    return new Map(users.map((u) => [u.id, u.name]));
  }
}

function nodeCountOf(document: unknown): number {
  if (document && typeof document === 'object' && 'nodes' in document && Array.isArray(document.nodes)) return document.nodes.length;
  return 0;
}
