'use client';

import { useState } from 'react';
import { Button, Card, ErrorNote, Field, TextInput } from '../../ui/primitives.tsx';

/** A plain form post (see api/sign-in): it works before the page's JavaScript loads. */
export function SignInForm({ next, error, email }: { next: string; error: string | null; email: string }) {
  const [submitting, setSubmitting] = useState(false);
  return (
    <Card className="p-6">
      <form className="space-y-4" method="post" action="/api/sign-in" onSubmit={() => setSubmitting(true)}>
        <input type="hidden" name="next" value={next} />
        <Field label="Email" htmlFor="email">
          <TextInput id="email" name="email" type="email" autoComplete="username" required defaultValue={email} autoFocus={!email} />
        </Field>
        <Field label="Password" htmlFor="password">
          <TextInput id="password" name="password" type="password" autoComplete="current-password" required autoFocus={Boolean(email)} />
        </Field>
        {error && <ErrorNote>{error}</ErrorNote>}
        <Button type="submit" tone="primary" className="w-full" disabled={submitting}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </Card>
  );
}
