import { describe, expect, it } from 'vitest';
import { sign } from './webhook.ts';
import { webhookInbound } from './inbound.ts';

const now = new Date('2026-11-24T10:00:00Z');
const request = (body: string, signature: string | undefined) => ({ method: 'POST', url: 'http://x/hooks/c', headers: { 'x-signalbox-signature': signature }, body: Buffer.from(body) });

describe('generic webhook adapter', () => {
  it('keeps every attachment of a message, the first as its content', async () => {
    const body = JSON.stringify({
      id: 'e1',
      conversationId: 'c1',
      from: { id: 'u1' },
      text: 'two photos',
      attachments: [
        { type: 'image', url: 'https://shop.example/a.jpg' },
        { type: 'file', url: 'https://shop.example/b.pdf', name: 'b.pdf' },
      ],
    });
    const result = await webhookInbound.normalize({ body: Buffer.from(body), now });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const [event] = result.events;
    expect(event).toMatchObject({ kind: 'message', content: { type: 'image', url: 'https://shop.example/a.jpg', caption: 'two photos' } });
    expect(event?.kind === 'message' ? event.attachments?.map((a) => a.url) : []).toEqual(['https://shop.example/a.jpg', 'https://shop.example/b.pdf']);
  });

  it('checks the signature over the raw body and refuses a missing one', () => {
    const body = '{"id":"e1"}';
    expect(webhookInbound.verify(request(body, sign(body, 'secret-1')), { secret: 'secret-1' })).toEqual({ ok: true });
    expect(webhookInbound.verify(request(`${body} `, sign(body, 'secret-1')), { secret: 'secret-1' }).ok).toBe(false);
    expect(webhookInbound.verify(request(body, sign(body, 'other')), { secret: 'secret-1' }).ok).toBe(false);
    expect(webhookInbound.verify(request(body, undefined), { secret: 'secret-1' })).toEqual({ ok: false, reason: 'missing X-Signalbox-Signature header' });
  });

  it('names malformed and invalid bodies', async () => {
    expect(await webhookInbound.normalize({ body: Buffer.from('{'), now })).toMatchObject({ ok: false, error: 'malformed_body' });
    const invalid = await webhookInbound.normalize({ body: Buffer.from('{"id":1}'), now });
    expect(invalid.ok ? [] : invalid.issues.map((i) => i.path)).toContain('$.id');
  });
});
