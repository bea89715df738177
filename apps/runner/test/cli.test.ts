import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPool } from '@signalbox/db';
import { freshDatabase } from '../src/testing/harness.ts';
import { ROOT } from './setup.ts';

const CLI = join(ROOT, 'bin/signalbox.mjs');
const dir = mkdtempSync(join(tmpdir(), 'signalbox-cli-'));

function signalbox(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, SIGNALBOX_DATA_DIR: join(dir, 'data'), SIGNALBOX_SECRET_KEY: 'cli-test-secret-key-01234', LOG_LEVEL: 'error', ...env },
    encoding: 'utf8',
  });
  const parse = (text: string) => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  return { code: result.status, out: parse(result.stdout), err: parse(result.stderr), stderr: result.stderr };
}

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

// Each command is a fresh Node process (tsx, Prisma): seconds each on a loaded two-core machine.
vi.setConfig({ testTimeout: 60_000 });

describe('signalbox normalize', () => {
  const fixtures = join(ROOT, '../shared/fixtures/channels');
  // The output is a JSON array; the helper parses objects, so read stdout here.
  const normalize = (args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, 'normalize', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'error' } });
    return { code: result.status, events: result.status === 0 ? (JSON.parse(result.stdout) as Record<string, unknown>[]) : null, err: result.stderr };
  };

  it('prints the normalized events of a platform payload, an .eml file and Twilio form fields as JSON', () => {
    const whatsapp = normalize(['--channel', 'whatsapp', join(fixtures, 'whatsapp/whatsapp_cloud_status_failed.json')]);
    expect(whatsapp.code).toBe(0);
    expect(whatsapp.events?.[0]).toMatchObject({ kind: 'status', channelType: 'whatsapp', status: 'failed', error: { code: expect.any(String) } });
    const email = normalize(['--channel', 'email', join(fixtures, 'email/email_reply_threaded.eml')]);
    expect(email.events?.[0]).toMatchObject({ kind: 'message', channelType: 'email', replyTo: expect.any(String) });
    const twilio = normalize(['--channel', 'twilio', join(fixtures, 'twilio/twilio_sms.json')]);
    expect(twilio.events?.[0]).toMatchObject({ kind: 'message', channelType: 'twilio', content: { type: 'text' } });
  });

  it('names an unknown channel type (exit 2) and a body that is not the platform format (exit 1)', () => {
    const unknown = normalize(['--channel', 'pigeon', join(fixtures, 'twilio/twilio_sms.json')]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--channel');
    const wrong = normalize(['--channel', 'telegram', join(fixtures, 'email/email_text_only.eml')]);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.err)).toMatchObject({ error: expect.stringContaining('is not a telegram payload') });
  });
});

describe('signalbox validate', () => {
  it('passes a valid flow with exit 0', () => {
    const r = signalbox(['validate', join(ROOT, 'examples/flows/demo.json')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({ ok: true, errors: [] });
  });

  it('reports errors with node id and field, exit 1', () => {
    const path = file(
      'broken.json',
      JSON.stringify({
        schemaVersion: 1,
        nodes: [
          { id: 'start', type: 'start', data: {} },
          { id: 'ask', type: 'ask-question', data: { question: '', saveAs: 'x' } },
        ],
        edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' }],
      }),
    );
    const r = signalbox(['validate', path]);
    expect(r.code).toBe(1);
    expect(r.out?.errors).toEqual([expect.objectContaining({ code: 'invalid-config', nodeId: 'ask', field: 'question' })]);
  });

  it('says which file is missing or not JSON, without a stack trace', () => {
    const missing = signalbox(['validate', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err?.error).toContain('no such file');
    const notJson = signalbox(['validate', file('bad.json', '{nope')]);
    expect(notJson.code).toBe(1);
    expect(notJson.err?.error).toContain('not valid JSON');
    expect(notJson.stderr).not.toContain('    at ');
  });
});

describe('signalbox run', () => {
  it('runs a headless conversation and prints the transcript and trace', () => {
    const events = file('events.jsonl', ['{"text": "hello"}', '{"text": "how are you"}', ''].join('\n'));
    const r = signalbox(['run', join(ROOT, 'examples/flows/echo.json'), '--events', events]);
    expect(r.code).toBe(0);
    const transcript = r.out?.transcript as { from: string; text: string }[];
    expect(transcript.map((l) => `${l.from}: ${l.text}`)).toEqual(['customer: hello', 'bot: echo: hello', 'customer: how are you', 'bot: echo: how are you']);
    expect((r.out?.trace as { steps: { nodeId: string }[] }[])[0]?.steps.map((s) => s.nodeId)).toEqual(['start', 'echo']);
  });

  it('follows buttons and timers in the demo flow', () => {
    const events = file(
      'demo.jsonl',
      ['{"text": "hi", "from": {"id": "u1", "name": "Ana"}}', '{"reply": {"id": "order", "title": "Order status"}}', '{"timer": true}'].join('\n'),
    );
    const r = signalbox(['run', join(ROOT, 'examples/flows/demo.json'), '--events', events]);
    expect(r.code).toBe(0);
    const texts = (r.out?.transcript as { from: string; text: string }[]).map((l) => `${l.from}: ${l.text}`);
    expect(texts).toEqual([
      'customer: hi',
      "bot: Hi Ana! I'm the Signalbox demo assistant of Example Shop.",
      'bot: What can I help you with?',
      'customer: Order status',
      'bot: What is your order number?',
      'system: timer fired',
      "bot: No rush: write to us any time and I'll pick up from the start.",
    ]);
  });

  it('names the line and field of a bad events file', () => {
    const events = file('bad-events.jsonl', ['{"text": "ok"}', '{"txt": "typo"}', 'not json'].join('\n'));
    const r = signalbox(['run', join(ROOT, 'examples/flows/echo.json'), '--events', events]);
    expect(r.code).toBe(1);
    const issues = (r.err?.details as { issues: { line: number }[] }).issues;
    expect(issues.map((i) => i.line)).toEqual([2, 3]);
  });
  it('sends message templates from a file, in the language the conversation was detected in', () => {
    const flow = file(
      'template-flow.json',
      JSON.stringify({
        schemaVersion: 1,
        nodes: [
          { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, data: {} },
          { id: 'detect', type: 'detect-language', typeVersion: 1, position: { x: 0, y: 100 }, data: {} },
          { id: 'thanks', type: 'send-message', typeVersion: 1, position: { x: 0, y: 200 }, data: { template: 'tpl-thanks' } },
        ],
        edges: [
          { id: 'e1', source: 'start', sourceHandle: 'next', target: 'detect' },
          { id: 'e2', source: 'detect', sourceHandle: 'next', target: 'thanks' },
          { id: 'e3', source: 'detect', sourceHandle: 'unknown', target: 'thanks' },
        ],
        variables: [],
      }),
    );
    const variants = [
      { language: 'en', text: 'Thanks {{contact.name | friend}}!' },
      { language: 'es', text: '¡Gracias {{contact.name | amigo}}!' },
    ];
    const templates = file('templates.json', JSON.stringify([{ id: 'tpl-thanks', name: 'thanks', defaultLanguage: 'en', variants }]));
    const events = file('template-events.jsonl', '{"text": "Hola, muchas gracias por la ayuda con mi pedido", "from": {"id": "u1", "name": "Lucía"}}\n');
    const r = signalbox(['run', flow, '--events', events, '--templates', templates]);
    expect(r.code).toBe(0);
    expect((r.out?.transcript as { from: string; text: string }[]).at(-1)).toMatchObject({ from: 'bot', text: '¡Gracias Lucía!' });

    const bad = file('bad-templates.json', JSON.stringify([{ id: 'tpl-thanks', name: 'Thanks!', defaultLanguage: 'en', variants }]));
    const refused = signalbox(['run', flow, '--events', events, '--templates', bad]);
    expect(refused.code).toBe(1);
    expect((refused.err?.details as { issues: unknown[] }).issues).toEqual([
      { path: '$[0].name', message: 'lowercase letters, digits and _ only (WhatsApp requires it), such as order_shipped' },
    ]);
  });
});

describe('signalbox flows and channels on Postgres', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => database.drop());

  it('creates a workspace, imports and exports a flow, adds and lists a webhook channel', { timeout: 180_000 }, () => {
    const env = { DATABASE_URL: database.url };
    expect(signalbox(['flows', 'import', join(ROOT, 'examples/flows/echo.json')], env).err?.error).toContain('no workspace');
    const ws = signalbox(['workspaces', 'create', '--name', 'Shop'], env);
    expect(ws.code).toBe(0);
    const imported = signalbox(['flows', 'import', join(ROOT, 'examples/flows/echo.json'), '--publish'], env);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatchObject({ name: 'Echo', published: { number: 1 } });
    const exported = signalbox(['flows', 'export', String(imported.out?.id)], env);
    expect(exported.out).toMatchObject({ schemaVersion: 1, nodes: expect.arrayContaining([expect.objectContaining({ id: 'echo' })]) });

    const bad = signalbox(['channels', 'add', '--type', 'webhook', '--name', 'x', '--callback-url', 'ftp://x'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('http(s) URL');
    const noFlow = signalbox(['channels', 'add', '--type', 'webhook', '--name', 'x', '--callback-url', 'http://127.0.0.1:9/cb', '--flow', 'missing'], env);
    expect(noFlow.err?.error).toContain('flow "missing" does not exist');

    const added = signalbox(['channels', 'add', '--type', 'webhook', '--name', 'Shop hook', '--callback-url', 'http://127.0.0.1:9/cb', '--flow', String(imported.out?.id)], env);
    expect(added.code).toBe(0);
    expect(String(added.out?.secret).length).toBeGreaterThanOrEqual(24);
    const listed = signalbox(['channels', 'list'], env);
    expect(listed.out).toEqual([expect.objectContaining({ id: added.out?.id, type: 'webhook', name: 'Shop hook', flowId: imported.out?.id })]);
    expect(JSON.stringify(listed.out)).not.toContain(String(added.out?.secret));
  });

  it('exports conversations as JSON lines with personal data masked, unless asked not to', { timeout: 120_000 }, async () => {
    const env = { DATABASE_URL: database.url };
    const [listed] = signalbox(['channels', 'list'], env).out as unknown as { id: string }[];
    const channel = listed!.id;
    const pool = createPool(database.url, 1);
    const { rows } = await pool.query<{ workspace_id: string }>('SELECT workspace_id FROM channel WHERE id = $1', [channel]);
    const workspace = rows[0]!.workspace_id;
    await pool.query(`INSERT INTO contact (id, workspace_id, name) VALUES ('ct1', $1, 'Ada Lovelace')`, [workspace]);
    await pool.query(`INSERT INTO conversation (id, workspace_id, channel_id, contact_id, external_id, language) VALUES ('cv1', $1, $2, 'ct1', '+14155552671', 'en')`, [workspace, channel]);
    await pool.query(
      `INSERT INTO message (id, conversation_id, direction, content, status, created_at) VALUES
         ('m1', 'cv1', 'in', '{"type": "text", "text": "Mail me at ada@example.com or call +1 415 555 2671"}', 'received', '2026-11-01T09:00:00Z'),
         ('m2', 'cv1', 'out', '{"type": "text", "text": "Thanks Ada, on it"}', 'sent', '2026-11-02T09:00:00Z')`,
    );
    await pool.end();
    const lines = (args: string[]) => {
      const result = spawnSync(process.execPath, [CLI, 'conversations', 'export', ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'error' }, encoding: 'utf8' });
      expect(result.status).toBe(0);
      return result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { thread: string; contact: { name: string | null }; content: { text: string }; direction: string });
    };
    const masked = lines([]);
    expect(masked.map((m) => [m.direction, m.thread, m.contact.name, m.content.text])).toEqual([
      ['in', '[PHONE]', null, 'Mail me at [EMAIL] or call [PHONE]'],
      ['out', '[PHONE]', null, 'Thanks Ada, on it'],
    ]);
    expect(lines(['--since', '2026-11-02']).map((m) => m.content.text)).toEqual(['Thanks Ada, on it']);
    const unmasked = lines(['--unmasked', '--until', '2026-11-02']);
    expect(unmasked.map((m) => [m.thread, m.contact.name, m.content.text])).toEqual([['+14155552671', 'Ada Lovelace', 'Mail me at ada@example.com or call +1 415 555 2671']]);
    expect(signalbox(['conversations', 'export', '--since', 'yesterday'], env).code).toBe(2);
  });

  it('adds a platform channel: settings and credentials checked against its schema, generated secrets printed once', { timeout: 120_000 }, () => {
    const env = { DATABASE_URL: database.url };
    expect(signalbox(['workspaces', 'create', '--name', 'Bot shop'], env).code).toBe(0);
    const unknown = signalbox(['channels', 'add', '--type', 'pigeon', '--name', 'x'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err?.error).toContain('--type');
    const badConfig = signalbox(['channels', 'add', '--type', 'telegram', '--name', 'Bot', '--config', '{"apiBaseUrl":"not a url"}', '--secrets', '{"botToken":"1:a"}'], env);
    expect(badConfig.code).toBe(2);
    expect(badConfig.err?.details).toMatchObject({ issues: [expect.objectContaining({ path: 'config.apiBaseUrl' })] });
    const noToken = signalbox(['channels', 'add', '--type', 'telegram', '--name', 'Bot', '--secrets', '{}'], env);
    expect(noToken.err?.details).toMatchObject({ issues: [expect.objectContaining({ path: 'secrets.botToken' })] });
    const added = signalbox(['channels', 'add', '--type', 'telegram', '--name', 'Bot', '--secrets', '{"botToken":"1:a"}'], env);
    expect(added.code).toBe(0);
    expect(added.out).toMatchObject({ type: 'telegram', config: { apiBaseUrl: 'https://api.telegram.org' }, webhookPath: `/hooks/${String(added.out?.id)}` });
    expect(String(added.out?.secretToken)).toMatch(/^[\w-]{32}$/);
    expect(JSON.stringify(signalbox(['channels', 'list'], env).out)).not.toContain('1:a');
  });

  it('refuses to publish a flow with errors', () => {
    const path = file('no-start.json', JSON.stringify({ schemaVersion: 1, nodes: [{ id: 'a', type: 'close', data: {} }], edges: [] }));
    const r = signalbox(['flows', 'import', path, '--publish'], { DATABASE_URL: database.url });
    expect(r.code).toBe(1);
    expect(r.err?.error).toContain('fix them before publishing');
  });
});

describe('signalbox language commands', () => {
  /** Feeds stdin and returns stdout's lines. */
  const lines = (args: string[], input: string) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'error' } });
    return { code: result.status, lines: result.stdout.split('\n').slice(0, -1), stderr: result.stderr };
  };

  it('langid: one code per input line, und for a line without words, the languages a user allows', () => {
    const r = lines(['langid'], 'hola, ¿dónde está mi pedido?\nwhere is my order\n😀\n谢谢你的帮助\n');
    expect(r).toMatchObject({ code: 0, lines: ['es', 'en', 'und', 'zh'] });
    expect(lines(['langid', '--languages', 'en,klingon'], 'x\n').code).toBe(2);
  });

  it('emotion: one of the seven labels per line, neutral for an empty one', () => {
    const r = lines(['emotion'], 'You idiots lost my package again!\n\nThank you so much, I love it!\n');
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['anger', 'neutral', 'joy']);
  });

  it('pii detect and mask: spans per line as JSON, and the line with placeholders', () => {
    const input = 'Call +44 20 7946 0958 or write to ana@example.com\nnothing here\n';
    const detected = lines(['pii', 'detect'], input);
    expect(detected.code).toBe(0);
    expect(detected.lines.map((l) => JSON.parse(l) as { type: string }[]).map((spans) => spans.map((s) => s.type))).toEqual([['phone', 'email'], []]);
    expect(lines(['pii', 'mask'], input).lines).toEqual(['Call [PHONE] or write to [EMAIL]', 'nothing here']);
    expect(lines(['pii', 'mask', '--types', 'email,postcode'], input).code).toBe(2);
  });

  it('intents eval: accuracy, macro-F1 and confused pairs as JSON; a CSV error names the file, row and column', () => {
    const train = file('train.csv', 'text,intent\nwhere is my order,order_status\nmy parcel has not arrived,order_status\nI want a refund,refund\ngive me my money back,refund\n');
    const test = file('test.csv', 'text,category\nwhere is my parcel,order_status\nrefund please,refund\n');
    const r = signalbox(['intents', 'eval', '--train', train, '--test', test]);
    expect(r.code).toBe(0);
    // English phrases: trained with the sentence encoder, as a workspace's would be.
    expect(r.out).toMatchObject({ trainExamples: 4, testExamples: 2, encoder: 'use-lite-en@0.2.0', accuracy: 1, macroF1: 1, confusedPairs: [] });
    const bad = signalbox(['intents', 'eval', '--train', file('bad.csv', 'text,label\nx,y\n'), '--test', test]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatchObject({ error: '--train: the CSV has errors', details: { errors: [{ row: 1, column: 'intent' }] } });
  });
});
