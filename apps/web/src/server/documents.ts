import { loadFlowDocument, type FlowDocument } from '@signalbox/nodes';
import { z } from 'zod';
import { badInput } from './trpc.ts';

/** A flow document from the browser or an import file: checked, upgraded, and every problem named by JSON path. */
export const DocumentInput = z.unknown().transform((value, ctx): FlowDocument => {
  const loaded = loadFlowDocument(value);
  if (loaded.ok) return loaded.document;
  for (const issue of loaded.issues) ctx.addIssue({ code: 'custom', message: `${issue.path}: ${issue.message}` });
  return z.NEVER;
});

/** Parses an uploaded flow file's text; JSON syntax errors keep the parser's position. */
export function parseFlowFile(text: string): { document: FlowDocument; migratedFrom: number | null } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw badInput('the file is not JSON', [{ path: '$', message: error instanceof Error ? error.message : 'not JSON' }]);
  }
  const loaded = loadFlowDocument(json);
  if (!loaded.ok) throw badInput(`the file is not a valid flow (${loaded.issues.length} problem${loaded.issues.length === 1 ? '' : 's'})`, loaded.issues);
  return { document: loaded.document, migratedFrom: loaded.migratedFrom };
}
