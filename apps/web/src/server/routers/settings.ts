import { TRPCError } from '@trpc/server';
import { createTranslationProvider, isTranslationError, parseTranslationSettings, translationProviderFromEnv, translationProviderIds } from '@signalbox/ai';
import { WorkspaceTranslationRepository } from '@signalbox/db/app';
import { z } from 'zod';
import { pool } from '../db.ts';
import { channelSecretBox } from '../runner-link.ts';
import { allowed, badInput, router } from '../trpc.ts';

/** The form: the API key is write-only, '' keeps the one saved. */
const TranslationForm = z.object({
  provider: z.enum(translationProviderIds, { error: `one of ${translationProviderIds.join(', ')}` }),
  apiKey: z.string().max(500, 'at most 500 characters').default(''),
  baseUrl: z.string().trim().max(500, 'at most 500 characters').default(''),
  model: z.string().trim().max(200, 'at most 200 characters').default(''),
  glossary: z.array(z.string().trim().max(100, 'at most 100 characters')).max(2_000, 'at most 2,000 terms').default([]),
});
type TranslationForm = z.infer<typeof TranslationForm>;

function repository(): WorkspaceTranslationRepository {
  const box = channelSecretBox();
  if (!box) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: "the web app has no SIGNALBOX_SECRET_KEY, so it cannot keep API keys: start it with `signalbox start`, or give it the runner's key",
    });
  }
  return new WorkspaceTranslationRepository(pool(), box);
}

/** The provider settings the form describes, the saved API key kept when the form leaves it empty; checked field by field. */
async function settingsOf(workspaceId: string, form: TranslationForm) {
  const saved = await repository().get(workspaceId);
  const apiKey = form.apiKey.trim() || (saved?.settings.provider === form.provider ? saved.settings.apiKey : undefined);
  const settings = {
    provider: form.provider,
    ...(apiKey ? { apiKey } : {}),
    ...(form.baseUrl ? { baseUrl: form.baseUrl } : {}),
    ...(form.model ? { model: form.model } : {}),
  };
  const parsed = parseTranslationSettings(settings);
  if (!parsed.ok) throw badInput("the provider's settings are not valid", parsed.problems.map((p) => ({ path: p.field, message: p.message })));
  return { settings, parsed: parsed.settings, saved };
}

export const settingsRouter = router({
  /** What the workspace translates with: its own provider (never the key itself), or the server's. */
  translation: allowed('settings.manage').query(async ({ ctx }) => {
    const saved = await repository().get(ctx.user.workspaceId);
    let server: string | null = null;
    try {
      server = translationProviderFromEnv(process.env)?.name ?? null;
    } catch {
      server = null;
    }
    return {
      server,
      own: saved
        ? {
            provider: saved.settings.provider,
            baseUrl: saved.settings.baseUrl ?? '',
            model: saved.settings.model ?? '',
            hasApiKey: Boolean(saved.settings.apiKey),
            glossary: saved.glossary,
            revision: saved.revision,
            updatedAt: saved.updatedAt,
          }
        : null,
    };
  }),

  saveTranslation: allowed('settings.manage')
    .input(TranslationForm.extend({ revision: z.number().int().min(1).nullable() }))
    .mutation(async ({ ctx, input }) => {
      const { settings } = await settingsOf(ctx.user.workspaceId, input);
      const glossary = [...new Set(input.glossary.filter((t) => t !== ''))];
      if (!(await repository().save(ctx.user.workspaceId, settings, glossary, input.revision))) {
        throw new TRPCError({ code: 'CONFLICT', message: 'someone else changed these settings since you opened them: reload and apply your changes again' });
      }
      return { saved: true };
    }),

  clearTranslation: allowed('settings.manage').mutation(async ({ ctx }) => {
    await repository().clear(ctx.user.workspaceId);
    return { cleared: true };
  }),

  /** Translates one sentence with the settings in the form (saved or not), so a wrong key shows before customers meet it. */
  testTranslation: allowed('settings.manage')
    .input(TranslationForm.extend({ text: z.string().trim().min(1, 'required').max(500, 'at most 500 characters'), target: z.string().regex(/^[a-z]{2}$/, 'a two-letter language code') }))
    .mutation(async ({ ctx, input }) => {
      const { parsed } = await settingsOf(ctx.user.workspaceId, input);
      try {
        const [result] = await createTranslationProvider({ ...parsed, retry: { ...parsed.retry, retries: 0 } }).translate({ texts: [input.text], target: input.target });
        return { ok: true as const, text: result?.text ?? '' };
      } catch (error) {
        return { ok: false as const, error: isTranslationError(error) ? `${error.kind.replace(/_/g, ' ')}: ${error.providerMessage}` : (error as Error).message };
      }
    }),
});
