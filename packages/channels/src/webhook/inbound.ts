import type { InboundAdapter } from '../adapter.ts';
import { parseWebhook, SIGNATURE_HEADER, verifySignature } from './webhook.ts';

/** The generic webhook (DESIGN.md section 5) behind the common adapter contract. Secret: `secret`. */
export const webhookInbound: InboundAdapter = {
  type: 'webhook',
  verify(request, secrets) {
    const header = request.headers[SIGNATURE_HEADER];
    if (!header) return { ok: false, reason: 'missing X-Signalbox-Signature header' };
    return verifySignature(request.body, secrets.secret ?? '', header) ? { ok: true } : { ok: false, reason: 'X-Signalbox-Signature does not match the body' };
  },
  normalize({ body, now }) {
    const parsed = parseWebhook(body, now);
    if (parsed.ok) return Promise.resolve({ ok: true, events: [parsed.event] });
    return Promise.resolve({ ok: false, error: parsed.error === 'malformed_json' ? 'malformed_body' : 'invalid_body', issues: parsed.issues });
  },
};
