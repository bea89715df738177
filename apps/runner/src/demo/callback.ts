import type { FastifyInstance } from 'fastify';

/**
 * The embedded default's stand-in for a shop's system: the demo webhook channel's callback URL points here,
 * so a webhook message gets its reply without running anything else. GET shows the last replies.
 */
export function registerDemoCallback(app: FastifyInstance) {
  const received: unknown[] = [];
  app.post('/demo/callback', async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    try {
      received.push({ at: new Date().toISOString(), body: JSON.parse(raw) });
    } catch {
      return reply.code(400).send({ error: 'malformed_json', message: 'the body is not valid JSON' });
    }
    if (received.length > 100) received.shift();
    return reply.code(200).send({ ok: true });
  });
  app.get('/demo/callback', async () => ({ received }));
}
