import type { z } from 'zod';

/** An input field a write got wrong, dotted from the record's root (`variants.1.text`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A zod error as problems by field (one per unknown key); `noun` names the record in "not a field of a word list",
 * `prefix` is prepended to every field (`phrases.2`).
 */
export function fieldProblems(error: z.ZodError, noun: string, prefix: readonly (string | number)[] = []): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [...prefix, ...issue.path, key].join('.'), message: `not a field of ${noun}` }));
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return [{ field: [...prefix, ...issue.path].join('.') || '(input)', message: missing ? 'required' : issue.message }];
  });
}

/** A unique index refused the row (a name taken in the workspace). */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === '23505';

/**
 * Why an update guarded by `revision` changed no row: the record moved on (a conflict, with what is stored now) or
 * it is not there.
 */
export async function missedUpdate<T>(current: Promise<T | null>): Promise<{ ok: false; reason: 'conflict'; current: T } | { ok: false; reason: 'not_found' }> {
  const found = await current;
  return found ? { ok: false, reason: 'conflict', current: found } : { ok: false, reason: 'not_found' };
}
