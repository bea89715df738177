import { z } from 'zod';

export const intentSchema = z.object({
  name: z.string().trim().min(1, 'an intent needs a name').max(100),
  phrases: z.array(z.string().trim().min(1, 'a training phrase cannot be empty').max(1000)).min(1, 'an intent needs at least one training phrase'),
});

/** A workspace's intents: at least two (a classifier chooses between options), names unique. */
export const intentSetSchema = z
  .array(intentSchema)
  .min(2, 'an intent set needs at least two intents')
  .superRefine((intents, ctx) => {
    const seen = new Set<string>();
    intents.forEach((intent, i) => {
      if (seen.has(intent.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `intent "${intent.name}" is defined twice` });
      seen.add(intent.name);
    });
  });

export type Intent = z.infer<typeof intentSchema>;
export type IntentSet = z.infer<typeof intentSetSchema>;
