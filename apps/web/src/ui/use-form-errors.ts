'use client';

import { useCallback, useState } from 'react';
import { errorOf } from '../trpc/client.tsx';

/**
 * A form's refusal as the server gave it: the message, and each field's problem by dotted path. An edited field's
 * problem goes away with the edit (`forget`); the others stay until the next save says otherwise.
 */
export function useFormErrors() {
  const [fields, setFields] = useState<ReadonlyMap<string, string>>(new Map());
  const [message, setMessage] = useState<string | null>(null);
  const failed = useCallback((error: unknown) => {
    const refusal = errorOf(error);
    setFields(refusal.fields);
    setMessage(refusal.message);
  }, []);
  const clear = useCallback(() => {
    setFields(new Map());
    setMessage(null);
  }, []);
  /** Drops the problems of these fields and of everything under them (`variants.0` drops `variants.0.text`). */
  const forget = useCallback((paths: readonly string[]) => {
    setFields((now) => new Map([...now].filter(([path]) => !paths.some((p) => path === p || path.startsWith(`${p}.`)))));
  }, []);
  return { fields, message, error: (path: string) => fields.get(path) ?? null, failed, clear, forget, setMessage };
}
