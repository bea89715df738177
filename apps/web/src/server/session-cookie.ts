/** The session cookie: httpOnly (no script reads it), SameSite=Lax (no cross-site posts), Secure behind HTTPS. */
export const SESSION_COOKIE = 'signalbox_session';

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Expires=${expiresAt.toUTCString()}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

export function tokenFromCookieHeader(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || null;
  }
  return null;
}

/** Whether the browser reached us over HTTPS (a proxy in front says so in X-Forwarded-Proto), so cookies get `Secure`. */
export function overHttps(headers: Headers, url = ''): boolean {
  const forwarded = headers.get('x-forwarded-proto');
  return forwarded ? forwarded === 'https' : url.startsWith('https:');
}
