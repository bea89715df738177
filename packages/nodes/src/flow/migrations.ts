import { z } from 'zod';
import { CURRENT_SCHEMA_VERSION, FlowDocument } from './document.ts';

/**
 * Ordered document migrations: `migrations[i]` upgrades a document of schemaVersion `i` to `i + 1`.
 * Version 0 is the pre-release shape: `steps` instead of `nodes`, `links: [{ from, port, to }]` instead of
 * React Flow edges, and node config under `config`. Add a migration here whenever the document changes shape;
 * never edit an old one.
 */
type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

const V0Document = z.object({
  steps: z.array(z.object({ id: z.string(), type: z.string(), x: z.number().optional(), y: z.number().optional(), config: z.record(z.string(), z.unknown()).optional() })),
  links: z.array(z.object({ from: z.string(), port: z.string().optional(), to: z.string() })).optional(),
  variables: z.array(z.string()).optional(),
  name: z.string().optional(),
});

export const migrations: readonly Migration[] = [
  (doc) => {
    const v0 = V0Document.parse(doc);
    return {
      schemaVersion: 1,
      name: v0.name,
      nodes: v0.steps.map((s) => ({ id: s.id, type: s.type, typeVersion: 1, position: { x: s.x ?? 0, y: s.y ?? 0 }, data: s.config ?? {} })),
      edges: (v0.links ?? []).map((l, i) => ({ id: `e${i + 1}-${l.from}-${l.to}`, source: l.from, sourceHandle: l.port ?? 'next', target: l.to })),
      variables: (v0.variables ?? []).map((name) => ({ name })),
    };
  },
];

export interface DocumentIssue {
  path: string;
  message: string;
}

export type LoadResult =
  | { ok: true; document: FlowDocument; migratedFrom: number | null }
  | { ok: false; issues: DocumentIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

/** Parses any stored or imported flow document, upgrading old versions, and reports problems by JSON path. */
export function loadFlowDocument(input: unknown): LoadResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '$', message: 'a flow document must be a JSON object' }] };
  }
  let doc = input as Record<string, unknown>;
  const declared = doc.schemaVersion;
  let version = declared === undefined ? 0 : declared;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, issues: [{ path: '$.schemaVersion', message: 'must be a non-negative integer' }] };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      issues: [{ path: '$.schemaVersion', message: `version ${version} is newer than this Signalbox understands (${CURRENT_SCHEMA_VERSION})` }],
    };
  }
  const migratedFrom = version === CURRENT_SCHEMA_VERSION ? null : version;
  try {
    while (version < CURRENT_SCHEMA_VERSION) {
      const migrate = migrations[version];
      if (!migrate) throw new Error(`no migration from schemaVersion ${version}`);
      doc = migrate(doc);
      version += 1;
    }
  } catch (error) {
    if (error instanceof z.ZodError) {
      return { ok: false, issues: error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
    }
    return { ok: false, issues: [{ path: '$', message: (error as Error).message }] };
  }
  const parsed = FlowDocument.safeParse(doc);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  return { ok: true, document: parsed.data, migratedFrom };
}
