import { authenticate, createSession, type PrismaClient, type SessionUser } from '@signalbox/db/app';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import { sessionCookie } from './session-cookie.ts';

export const SignInInput = z.object({
  email: z.string().trim().min(1, 'enter your email').email('not an email address').max(320),
  password: z.string().min(1, 'enter your password').max(1024),
});

// Guessing passwords: ten wrong tries per email per fifteen minutes, then a wait.
const failures = new RateLimiterMemory({ points: 10, duration: 15 * 60 });

export type SignInResult = { ok: true; user: SessionUser; cookie: string } | { ok: false; reason: 'locked' | 'wrong'; message: string };

/** Checks a password and opens a session; shared by the sign-in form and the API. */
export async function signIn(prisma: PrismaClient, input: z.infer<typeof SignInInput>, secure: boolean): Promise<SignInResult> {
  const key = input.email.toLowerCase();
  const state = await failures.get(key);
  if (state && state.remainingPoints <= 0) {
    return { ok: false, reason: 'locked', message: `too many failed sign-ins for this email; try again in ${Math.ceil(state.msBeforeNext / 60_000)} min` };
  }
  const user = await authenticate(prisma, input.email, input.password);
  if (!user) {
    await failures.penalty(key, 1);
    return { ok: false, reason: 'wrong', message: 'wrong email or password' };
  }
  await failures.delete(key);
  const session = await createSession(prisma, user.id);
  return { ok: true, user, cookie: sessionCookie(session.token, session.expiresAt, secure) };
}

/** Only same-site paths: `next` comes from the URL, and an open redirect would help phishing. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/flows';
}
