import { type FlowDocument, loadFlowDocument } from '@signalbox/nodes';
import { loadVersionDocument, type Pool } from '@signalbox/db';

/**
 * Published versions are immutable, so a parsed document is cached for the life of the process.
 */
export class FlowVersionCache {
  private readonly documents = new Map<string, Promise<FlowDocument | null>>();

  constructor(private readonly pool: Pool) {}

  get(versionId: string): Promise<FlowDocument | null> {
    let entry = this.documents.get(versionId);
    if (!entry) {
      entry = loadVersionDocument(this.pool, versionId).then((row) => {
        if (!row) return null;
        const loaded = loadFlowDocument(row.document);
        if (!loaded.ok) throw new Error(`version ${versionId} is not a valid flow: ${loaded.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
        return loaded.document;
      });
      entry.catch(() => this.documents.delete(versionId));
      this.documents.set(versionId, entry);
    }
    return entry;
  }
}
