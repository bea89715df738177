import { describe, expect, it } from 'vitest';
import { guardRequest } from './request-guards.ts';
import { safeNext } from './sign-in.ts';

describe('where sign-in may send the browser back to', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeNext('/flows/abc?version=2#top')).toBe('/flows/abc?version=2#top');
    expect(safeNext('/')).toBe('/');
  });

  it('refuses anything a browser could read as another site', () => {
    for (const next of ['//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'https://evil.example', 'evil', '/%09/ok-but-encoded\u0000', '', null, 42]) {
      expect(safeNext(next), JSON.stringify(next)).toBe('/flows');
    }
  });
});

describe('request guards', () => {
  const post = (headers: Record<string, string>) => new Request('http://127.0.0.1:3000/api/sign-in', { method: 'POST', headers });

  it('refuses a post from another site and lets same-site and script clients through', () => {
    expect(guardRequest(post({ 'sec-fetch-site': 'cross-site' }), 1000)?.status).toBe(403);
    expect(guardRequest(post({ origin: 'http://evil.example', host: '127.0.0.1:3000' }), 1000)?.status).toBe(403);
    expect(guardRequest(post({ 'sec-fetch-site': 'same-origin' }), 1000)).toBeNull();
    expect(guardRequest(post({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }), 1000)).toBeNull();
    expect(guardRequest(post({}), 1000)).toBeNull();
  });

  it('refuses a body larger than the route takes before reading it', () => {
    expect(guardRequest(post({ 'content-length': '1001' }), 1000)?.status).toBe(413);
    expect(guardRequest(post({ 'content-length': '1000' }), 1000)).toBeNull();
  });
});
