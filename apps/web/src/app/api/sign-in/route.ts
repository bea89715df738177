import { prisma } from '../../../server/db.ts';
import { clientAddress, guardRequest } from '../../../server/request-guards.ts';
import { overHttps } from '../../../server/session-cookie.ts';
import { safeNext, signIn, SignInInput } from '../../../server/sign-in.ts';

/**
 * The sign-in form posts here: a plain HTML form, so signing in works before (or without) JavaScript and the
 * password never lands in a URL. Answers with a redirect either way; errors go back to the form by query.
 */
export async function POST(request: Request) {
  const refused = guardRequest(request, 10_000);
  if (refused) return refused;
  const form = await request.formData().catch(() => null);
  const next = safeNext(form?.get('next'));
  const back = (error: string, email: string) => {
    const query = new URLSearchParams({ next, error, email });
    return new Response(null, { status: 303, headers: { location: `/sign-in?${query}` } });
  };
  const parsed = SignInInput.safeParse({ email: form?.get('email'), password: form?.get('password') });
  const email = typeof form?.get('email') === 'string' ? String(form?.get('email')) : '';
  if (!parsed.success) return back(parsed.error.issues[0]?.message ?? 'enter your email and password', email);
  const result = await signIn(prisma(), parsed.data, overHttps(request.headers, request.url), clientAddress(request));
  if (!result.ok) return back(result.message, email);
  return new Response(null, { status: 303, headers: { location: next, 'set-cookie': result.cookie } });
}
