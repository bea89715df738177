import { wordListService } from '@signalbox/ai';
import { TemplateRepository, WordListRepository, WorkspaceTemplates, WorkspaceWordLists, type Pool } from '@signalbox/db';
import type { WorkspaceServices } from '@signalbox/nodes';
import type { LanguageServices } from './language/language-services.ts';

/**
 * What a flow's nodes use that differs between workspaces: language services, message templates and word lists,
 * built once per workspace and kept (each reads its records through a short cache, so edits show within seconds).
 */
export class WorkspaceServiceCache {
  private readonly built = new Map<string, WorkspaceServices>();
  private readonly templates: WorkspaceTemplates;
  private readonly wordLists: WorkspaceWordLists;

  constructor(
    pool: Pool,
    private readonly language: LanguageServices,
  ) {
    this.templates = new WorkspaceTemplates(new TemplateRepository(pool));
    this.wordLists = new WorkspaceWordLists(new WordListRepository(pool));
  }

  forWorkspace(workspaceId: string): WorkspaceServices {
    let services = this.built.get(workspaceId);
    if (!services) {
      services = {
        ai: this.language.forWorkspace(workspaceId),
        templates: this.templates.forWorkspace(workspaceId),
        wordLists: wordListService((ids) => this.wordLists.load(workspaceId, ids)),
      };
      this.built.set(workspaceId, services);
    }
    return services;
  }
}
