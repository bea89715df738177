import { authenticate, createSession, type PrismaClient, type SessionUser } from '@signalbox/db/app';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import { sessionCookie } from './session-cookie.ts';

export const SignInInput = z.object({
  email: z.string().trim().min(1, 'enter your email').email('not an email address').max(320),
  password: z.string().min(1, 'enter your password').max(1024),
});

// Guessing passwords: ten wrong tries per email per fifteen minutes, then a wait; and from one address, fifty
// wrong tries (any emails) or five attempts a second, so one client can neither sweep emails nor keep the
// password hashing busy for everyone else.
const failures = new RateLimiterMemory({ points: 10, duration: 15 * 60 });
const addressFailures = new RateLimiterMemory({ points: 50, duration: 15 * 60 });
const addressAttempts = new RateLimiterMemory({ points: 5, duration: 1 });

export type SignInResult = { ok: true; user: SessionUser; cookie: string } | { ok: false; reason: 'locked' | 'wrong'; message: string };

/** Checks a password and opens a session; shared by the sign-in form and the API. */
export async function signIn(prisma: PrismaClient, input: z.infer<typeof SignInInput>, secure: boolean, address = 'unknown'): Promise<SignInResult> {
  const key = input.email.toLowerCase();
  // Without a known address every client would share one bucket, and one of them could lock everyone out.
  const perAddress = address !== 'unknown';
  const [byEmail, byAddress] = await Promise.all([failures.get(key), perAddress ? addressFailures.get(address) : null]);
  const blocked = [byEmail, byAddress].find((state) => state && state.remainingPoints <= 0);
  if (blocked) {
    return { ok: false, reason: 'locked', message: `too many failed sign-ins; try again in ${Math.ceil(blocked.msBeforeNext / 60_000)} min` };
  }
  if (perAddress) {
    try {
      await addressAttempts.consume(address);
    } catch {
      return { ok: false, reason: 'locked', message: 'too many sign-ins at once; try again in a second' };
    }
  }
  const user = await authenticate(prisma, input.email, input.password);
  if (!user) {
    await Promise.all([failures.penalty(key, 1), perAddress ? addressFailures.penalty(address, 1) : null]);
    return { ok: false, reason: 'wrong', message: 'wrong email or password' };
  }
  await failures.delete(key);
  const session = await createSession(prisma, user.id);
  return { ok: true, user, cookie: sessionCookie(session.token, session.expiresAt, secure) };
}

/**
 * Only a path on this site: `next` comes from the URL, and an open redirect would help phishing. Browsers drop
 * tabs and newlines from URLs and read `\\` as `/`, so `/\t/evil.example` would become `//evil.example`:
 * anything with whitespace, control characters or backslashes is refused, and the result must stay on the origin.
 */
export function safeNext(next: unknown): string {
  const fallback = '/flows';
  if (typeof next !== 'string' || !next.startsWith('/') || /[\s\\]/.test(next) || [...next].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return fallback;
  const base = 'http://signalbox.invalid';
  try {
    const url = new URL(next, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
