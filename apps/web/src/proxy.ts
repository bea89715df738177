import { NextResponse, type NextRequest } from 'next/server';

/**
 * Hands the requested path to server components (they cannot read the URL), so a signed-out visitor comes back
 * to the page they asked for after signing in. Authorization itself happens in the layouts and procedures.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set('x-signalbox-path', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ['/((?!api|_next|favicon.ico|icon.svg).*)'] };
