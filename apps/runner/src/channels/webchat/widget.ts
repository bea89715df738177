import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { MAX_UPLOAD_BYTES, UPLOAD_TYPES } from './media.ts';
import { scriptJson } from './page.ts';
import { LOCALE_TAG, RIGHT_TO_LEFT, UI_TEXT } from './ui-text.ts';

/**
 * The script with the upload limits filled in, so the widget refuses a file before sending it, and its words in
 * every language it speaks (it picks one in the browser, from the shop's page and the customer's settings).
 */
export function widgetScript(): string {
  const source = readFileSync(new URL('./widget.js', import.meta.url), 'utf8');
  const limits = { maxBytes: MAX_UPLOAD_BYTES, types: Object.fromEntries(Object.entries(UPLOAD_TYPES).map(([mimeType, t]) => [mimeType, t.extension])) };
  const text = { words: UI_TEXT, rightToLeft: [...RIGHT_TO_LEFT], localeTag: LOCALE_TAG.source };
  return source.replace('__SIGNALBOX_LIMITS__;', () => `${scriptJson(limits)};`).replace('__SIGNALBOX_TEXT__;', () => `${scriptJson(text)};`);
}

/**
 * `GET /widget.js`: the embeddable web chat widget (widget.js). Shops load it from their own pages, so it is
 * served to any origin and cached briefly (an upgrade of the runner reaches every shop within five minutes).
 */
export function registerWidget(app: FastifyInstance): void {
  const body = widgetScript();
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers = {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'public, max-age=300',
    etag,
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
    'x-content-type-options': 'nosniff',
  };
  app.get('/widget.js', async (req, reply) => {
    if (req.headers['if-none-match'] === etag) return reply.code(304).headers(headers).send();
    return reply.headers(headers).send(body);
  });
}
