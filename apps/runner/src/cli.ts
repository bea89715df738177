import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { loadFlowDocument, MessageTemplate, validateFlow, type FlowDocument, type StoredTemplate } from '@signalbox/nodes';
import type { PrismaClient, SecretBox } from '@signalbox/db';
import { loadConfig, type RunnerConfig } from './config.ts';
import type { Role } from './runtime.ts';
import { HeadlessEvent, runHeadless } from './headless.ts';
import { httpService, inboundAdapter, INBOUND_CHANNEL_TYPES } from '@signalbox/channels';
import { channelTypeInfo, CHANNEL_TYPES, generateSecret } from '@signalbox/channels/setup';

// The database, Prisma and the runner load only in the commands that need them, so `validate` and `run`
// start in a fraction of the time.
const db = () => import('@signalbox/db');
const runtime = () => import('./runtime.ts');
const ai = () => import('@signalbox/ai');

/** A command's failure: printed as JSON on stderr with exit code 1 (2 for usage errors), never a stack trace. */
class CliError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
    readonly code = 1,
  ) {
    super(message);
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new CliError(`${what}: no such file ${path}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`${what}: ${path} is not valid JSON (${(error as Error).message})`);
  }
}

/** Templates for a headless run, by id; every problem names its place in the file (`$[1].variants.0.text`). */
function readTemplates(path: string): Map<string, StoredTemplate> {
  const parsed = z.array(MessageTemplate.and(z.object({ id: z.string().min(1, 'required') }))).safeParse(readJsonFile(path, 'templates'), { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.map(({ path: [index, ...rest], message }) => ({
      path: index === undefined ? '$' : `$[${String(index)}]${rest.map((key) => `.${String(key)}`).join('')}`,
      message,
    }));
    throw new CliError(`templates: ${path} has invalid templates`, { issues });
  }
  return new Map(parsed.data.map((t) => [t.id, t]));
}

/** A JSON object given on the command line (`--config '{"a":1}'`), or a usage error naming the option. */
function jsonObjectOption(value: string | undefined, option: string): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new CliError(`${option}: not valid JSON (${(error as Error).message})`, undefined, 2);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError(`${option}: must be a JSON object`, undefined, 2);
  return parsed as Record<string, unknown>;
}

function issuesOf(error: z.ZodError, prefix: string): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path].join('.'), message: i.message }));
}

function readFlow(path: string): FlowDocument {
  const loaded = loadFlowDocument(readJsonFile(path, 'flow'));
  if (!loaded.ok) throw new CliError(`flow: ${path} is not a valid flow document`, { issues: loaded.issues });
  return loaded.document;
}

/** The running embedded server leaves its address here, so commands use it instead of opening PGlite twice. */
const LIVE_FILE = 'live.json';

async function withDatabase<T>(config: RunnerConfig, work: (db: { prisma: PrismaClient; secrets: SecretBox; url: string }) => Promise<T>): Promise<T> {
  const { createPool, createPrisma, migrate, processAlive, SecretBox } = await db();
  const { openDatabase, secretKey } = await runtime();
  let url = config.DATABASE_URL;
  let embedded: Awaited<ReturnType<typeof openDatabase>>['embedded'] = null;
  const liveFile = join(config.SIGNALBOX_DATA_DIR, LIVE_FILE);
  if (!url && existsSync(liveFile)) {
    const live = JSON.parse(readFileSync(liveFile, 'utf8')) as { pid: number; databaseUrl: string };
    if (processAlive(live.pid)) url = live.databaseUrl;
  }
  if (!url) {
    const opened = await openDatabase(config);
    url = opened.url;
    embedded = opened.embedded;
  }
  const pool = createPool(url, 2);
  const prisma = createPrisma(url);
  try {
    await migrate(pool);
    return await work({ prisma, secrets: new SecretBox(secretKey(config)), url });
  } finally {
    await prisma.$disconnect();
    await pool.end();
    await embedded?.stop();
  }
}

async function workspaceOf(prisma: PrismaClient, given?: string): Promise<string> {
  const id = given ?? (await (await db()).defaultWorkspaceId(prisma));
  if (!id) throw new CliError('no workspace exists yet: run `signalbox start` once (it seeds the demo) or pass --workspace');
  if (!(await prisma.workspace.findUnique({ where: { id } }))) throw new CliError(`workspace "${id}" does not exist`);
  return id;
}

/** `all`, one role, or several joined by commas (`worker,sender`). */
function parseRoles(value: string): Role[] {
  if (value === 'all') return ['ingress', 'worker', 'sender'];
  const known: readonly string[] = ['ingress', 'worker', 'sender'];
  const roles = value.split(',').map((r) => r.trim());
  const unknown = roles.filter((r) => !known.includes(r));
  if (unknown.length > 0 || roles.length === 0) throw new InvalidArgumentError(`"${unknown.join(', ') || value}" is not a role: use all, ingress, worker, sender, or several joined by commas`);
  return [...new Set(roles)] as Role[];
}

function parseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    return value;
  } catch {
    throw new InvalidArgumentError('must be an http(s) URL');
  }
}

export function buildCli(): Command {
  const program = new Command('signalbox').description('Signalbox: one customer-service gateway for every chat platform').showHelpAfterError();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.exitOverride();

  program
    .command('start')
    .description('run the product: on the embedded default with no settings, on Postgres + Redis with DATABASE_URL and REDIS_URL')
    .option('--role <roles>', 'all | ingress | worker | sender, or several joined by commas (worker,sender)', parseRoles, ['ingress', 'worker', 'sender'])
    .option('--no-web', 'do not start the web app')
    .action(async (options: { role: Role[]; web: boolean }) => {
      const config = loadConfig();
      const { createLogger } = await import('./logging.ts');
      const { startRunner, secretKey } = await runtime();
      const { startWeb } = await import('./web-process.ts');
      const { DEMO } = await import('./demo/seed.ts');
      const { ChannelRepository } = await db();
      const log = createLogger(config.LOG_LEVEL);
      const runner = await startRunner(config, options.role, log);
      const liveFile = join(config.SIGNALBOX_DATA_DIR, LIVE_FILE);
      if (runner.embedded) writeFileSync(liveFile, JSON.stringify({ pid: process.pid, databaseUrl: runner.databaseUrl }));
      const everything = options.role.length === 3;
      const web = options.web && everything ? await startWeb(config, runner.databaseUrl, secretKey(config), log) : null;
      const base = runner.url.replace('0.0.0.0', '127.0.0.1');
      const lines = [
        '',
        `Signalbox is running (${runner.embedded ? 'embedded database in ' + config.SIGNALBOX_DATA_DIR : 'Postgres'}, ${runner.queue.name} queue, role ${everything ? 'all' : options.role.join(',')}).`,
        `  runner:        ${base}   (health ${base}/healthz, metrics ${base}/metrics)`,
      ];
      if (web) lines.push(`  flow editor:   ${web.url}/flows${web.dev ? '   (development server: the first page compiles for a while; `npm run build -w @signalbox/web` makes it fast)' : ''}`);
      if (runner.seeded || runner.embedded) {
        const channels = new ChannelRepository(runner.prisma, runner.secrets);
        const hook = await channels.get(DEMO.webhookChannelId);
        lines.push(
          `  try the bot:   ${base}/chat/${DEMO.webchatChannelId}`,
          `  any language:  ${base}/chat/${DEMO.multilingualChannelId}   (answers from the knowledge base in the customer's language)`,
          `  webhook:       POST ${base}/hooks/${DEMO.webhookChannelId}  (X-Signalbox-Signature: sha256=HMAC of the body with secret ${hook?.credentials.secret ?? '?'})`,
          `  its replies:   ${base}/demo/callback`,
          `  sign in as:    ${DEMO.ownerEmail} / ${DEMO.ownerPassword}  (the demo owner)`,
        );
      }
      console.log(`${lines.join('\n')}\n`);
      const shutdown = async (signal: string) => {
        log.info({ signal }, 'shutting down: finishing running work');
        await web?.stop();
        await runner.stop();
        if (runner.embedded) rmSync(liveFile, { force: true });
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const config = loadConfig();
      const { createPool, migrate } = await db();
      const { url, embedded } = await (await runtime()).openDatabase(config);
      const pool = createPool(url, 1);
      try {
        print(await migrate(pool));
      } finally {
        await pool.end();
        await embedded?.stop();
      }
    });

  program
    .command('validate <flow>')
    .description('check a flow file: exits 1 when it has errors')
    .action((file: string) => {
      const report = validateFlow(readFlow(file));
      print(report);
      if (!report.ok) process.exitCode = 1;
    });

  program
    .command('normalize <payload>')
    .description('print the normalized events of a platform payload (JSON; .eml for email; Twilio form fields as a JSON object)')
    .requiredOption('--channel <type>', `channel type: ${INBOUND_CHANNEL_TYPES.join(', ')}`)
    .option('--content-type <type>', 'the Content-Type the platform sends (default: from the file extension)')
    .action(async (file: string, options: { channel: string; contentType?: string }) => {
      const adapter = inboundAdapter(options.channel);
      if (!adapter) throw new CliError(`--channel: "${options.channel}" is not a channel type (${INBOUND_CHANNEL_TYPES.join(', ')})`, undefined, 2);
      if (!existsSync(file)) throw new CliError(`payload: no such file ${file}`);
      const contentType = options.contentType ?? (/\.eml$/i.test(file) ? 'message/rfc822' : 'application/json');
      const result = await adapter.normalize({ body: readFileSync(file), contentType, now: new Date() });
      if (!result.ok) throw new CliError(`payload: ${file} is not a ${options.channel} payload (${result.error})`, { issues: result.issues });
      print(result.events);
    });

  program
    .command('run <flow>')
    .description('run a conversation headless: prints the transcript and trace as JSON')
    .requiredOption('--events <file>', 'JSON lines: {"text": "..."} | {"reply": {"id", "title"}} | {"timer": true}')
    .option('--templates <file>', 'message templates the flow sends: a JSON array of {"id", "name", "defaultLanguage", "variants", ...}')
    .action(async (file: string, options: { events: string; templates?: string }) => {
      const document = readFlow(file);
      const templates = options.templates ? readTemplates(options.templates) : new Map<string, StoredTemplate>();
      if (!existsSync(options.events)) throw new CliError(`events: no such file ${options.events}`);
      const events: HeadlessEvent[] = [];
      const lines = readFileSync(options.events, 'utf8').split('\n');
      const issues: { line: number; path: string; message: string }[] = [];
      lines.forEach((text, i) => {
        if (text.trim() === '') return;
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (error) {
          issues.push({ line: i + 1, path: '$', message: (error as Error).message });
          return;
        }
        const parsed = HeadlessEvent.safeParse(json);
        if (parsed.success) events.push(parsed.data);
        else for (const issue of parsed.error.issues) issues.push({ line: i + 1, path: `$.${issue.path.join('.')}`, message: issue.message });
      });
      if (issues.length > 0) throw new CliError(`events: ${options.events} has invalid lines`, { issues });
      const documents = new Map<string, FlowDocument>();
      const { aiServices, createTranslator, glossaryFromEnv, llmFromEnv, loadLanguageDetector, shippedModels, translationProviderFromEnv } = await ai();
      const config = loadConfig();
      const result = await runHeadless(document, events, {
        http: httpService,
        // Offline models as the runner uses them; translations through the configured provider, remembered for this run.
        ai: aiServices({
          language: loadLanguageDetector,
          intents: shippedModels.defaultIntents,
          emotion: shippedModels.emotion,
          translator: createTranslator({ provider: translationProviderFromEnv(config), glossary: glossaryFromEnv(config) }),
          // A headless run has no database: its knowledge base is empty, so answer nodes take "No answer".
          searchKnowledge: async () => [],
          llm: llmFromEnv(config),
        }),
        templates: { get: async (id) => templates.get(id) ?? null },
        wordLists: { check: () => Promise.reject(new Error('a headless run has no word lists: run the flow in the product to check them')) },
        loadFlow: async (flowId) => {
          // Headless runs resolve "jump to flow" targets as files next to the flow: <flowId>.json.
          const path = join(file, '..', `${flowId}.json`);
          if (!existsSync(path)) return null;
          const doc = documents.get(path) ?? readFlow(path);
          documents.set(path, doc);
          return { ref: { flowId, versionId: 'file' }, document: doc };
        },
      });
      print(result);
    });

  const flows = program.command('flows').description('import and export flows');
  flows
    .command('import <file>')
    .description('import a flow document (validated and migrated) as a new flow')
    .option('--publish', 'publish it as version 1 (refused when it has errors)')
    .option('--name <name>', 'the flow name (default: the document name or file name)')
    .option('--workspace <id>', 'workspace id (default: the first one)')
    .action(async (file: string, options: { publish?: boolean; name?: string; workspace?: string }) => {
      const document = readFlow(file);
      const report = validateFlow(document);
      if (options.publish && !report.ok) throw new CliError('flow has errors; fix them before publishing', { errors: report.errors });
      await withDatabase(loadConfig(), async ({ prisma }) => {
        const workspaceId = await workspaceOf(prisma, options.workspace);
        const repo = new (await db()).FlowRepository(prisma);
        const name = options.name ?? document.name ?? file.replace(/^.*\//, '').replace(/\.json$/, '');
        const id = await repo.create({ workspaceId, name, document });
        const version = options.publish ? await repo.publish(id, { note: `imported from ${file}` }) : null;
        print({ id, name, published: version ? { versionId: version.id, number: version.number } : null, warnings: report.warnings, errors: report.errors });
      });
    });
  flows
    .command('export <id>')
    .description('print a flow: its latest published version, or the draft with --draft')
    .option('--draft', 'export the draft instead')
    .action(async (id: string, options: { draft?: boolean }) => {
      await withDatabase(loadConfig(), async ({ prisma }) => {
        const flow = await new (await db()).FlowRepository(prisma).get(id);
        if (!flow) throw new CliError(`flow "${id}" does not exist`);
        const document = options.draft ? flow.draft?.document : flow.versions[0]?.document;
        if (!document) throw new CliError(options.draft ? `flow "${id}" has no draft` : `flow "${id}" has no published version (use --draft)`);
        print(document);
      });
    });
  flows
    .command('list')
    .description('list flows as JSON')
    .action(async () => {
      await withDatabase(loadConfig(), async ({ prisma }) => {
        const rows = await new (await db()).FlowRepository(prisma).list();
        print(rows.map((f) => ({ id: f.id, name: f.name, archived: f.archived, latestVersion: f.versions[0]?.number ?? null })));
      });
    });

  program
    .command('workspaces')
    .description('manage workspaces')
    .command('create')
    .requiredOption('--name <name>', 'the shop or team name')
    .option('--id <id>', 'a stable id (default: a random UUID)')
    .action(async (options: { name: string; id?: string }) => {
      if (options.name.trim() === '') throw new CliError('--name must not be empty', undefined, 2);
      await withDatabase(loadConfig(), async ({ prisma }) => {
        if (options.id && (await prisma.workspace.findUnique({ where: { id: options.id } }))) throw new CliError(`--id: workspace "${options.id}" already exists`);
        print({ id: await (await db()).createWorkspace(prisma, options.name.trim(), options.id) });
      });
    });

  const channels = program.command('channels').description('manage channels');
  channels
    .command('add')
    .description('add a channel; prints it with its generated secrets (shown only here)')
    .requiredOption('--type <type>', `channel type: ${CHANNEL_TYPES.map((c) => c.type).join(' | ')}`)
    .requiredOption('--name <name>', 'a name people recognise')
    .option('--callback-url <url>', 'where replies are POSTed (webhook)', parseUrl)
    .option('--config <json>', 'the channel\'s settings as a JSON object (see the web app\'s channel form for the fields)')
    .option('--secrets <json>', 'the channel\'s credentials as a JSON object (tokens, app secrets); stored encrypted')
    .option('--flow <id>', 'the flow whose latest published version answers this channel')
    .option('--workspace <id>', 'workspace id (default: the first one)')
    .action(async (options: { type: string; name: string; callbackUrl?: string; config?: string; secrets?: string; flow?: string; workspace?: string }) => {
      const info = channelTypeInfo(options.type);
      if (!info) throw new CliError(`--type: "${options.type}" is not a channel type (${CHANNEL_TYPES.map((c) => c.type).join(', ')})`, undefined, 2);
      if (options.name.trim() === '') throw new CliError('--name must not be empty', undefined, 2);
      const given = { ...jsonObjectOption(options.config, '--config'), ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}) };
      const config = info.config.safeParse(given);
      if (!config.success) throw new CliError('--config: the channel settings are not valid', { issues: issuesOf(config.error, 'config') }, 2);
      const secretValues = jsonObjectOption(options.secrets, '--secrets');
      for (const name of info.generated) secretValues[name] ??= generateSecret();
      const credentials = info.secrets.safeParse(secretValues);
      if (!credentials.success) throw new CliError('--secrets: the channel credentials are not valid', { issues: issuesOf(credentials.error, 'secrets') }, 2);
      await withDatabase(loadConfig(), async ({ prisma, secrets }) => {
        const workspaceId = await workspaceOf(prisma, options.workspace);
        if (options.flow && !(await prisma.flow.findFirst({ where: { id: options.flow, workspaceId } }))) {
          throw new CliError(`--flow: flow "${options.flow}" does not exist in workspace "${workspaceId}"`);
        }
        const channel = await new (await db()).ChannelRepository(prisma, secrets).create({
          workspaceId,
          type: info.type,
          name: options.name.trim(),
          config: config.data as Record<string, unknown>,
          credentials: credentials.data as Record<string, string>,
          flowId: options.flow,
        });
        const generated = Object.fromEntries(info.generated.map((name) => [name, channel.credentials[name]]).filter(([, v]) => v !== undefined));
        print({ id: channel.id, type: channel.type, name: channel.name, config: channel.config, flowId: options.flow ?? null, ...generated, webhookPath: `/hooks/${channel.id}` });
      });
    });
  channels
    .command('list')
    .description('list channels as JSON (without secrets)')
    .option('--workspace <id>', 'only this workspace')
    .action(async (options: { workspace?: string }) => {
      await withDatabase(loadConfig(), async ({ prisma, secrets }) => {
        print(await new (await db()).ChannelRepository(prisma, secrets).list(options.workspace));
      });
    });

  registerLanguageCommands(program);
  return program;
}

/** A comma-separated list option (`--languages en,de`), trimmed, empty entries dropped. */
function listOption(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * The language features, one text per stdin line and one answer per stdout line, so anyone can judge them on
 * their own data (`signalbox langid < messages.txt | paste messages.txt -`).
 */
function registerLanguageCommands(program: Command): void {
  program
    .command('langid')
    .description('one ISO 639-1 code per stdin line (und: no language in the line)')
    .option('--languages <codes>', 'only consider these languages, comma-separated (default: all supported)')
    .option('--prefer <code>', 'the language to favour in a near tie (the customer\'s locale or country)')
    .action(async (options: { languages?: string; prefer?: string }) => {
      const { isSupportedLanguage, loadLanguageDetector, mapLines, SUPPORTED_LANGUAGES, UNDETERMINED } = await ai();
      const candidates = listOption(options.languages);
      for (const code of [...candidates, ...(options.prefer ? [options.prefer] : [])]) {
        if (!isSupportedLanguage(code)) throw new CliError(`--languages/--prefer: "${code}" is not a supported language (${SUPPORTED_LANGUAGES.map((l) => l.code).join(', ')})`, undefined, 2);
      }
      const detector = await loadLanguageDetector();
      const settings = { ...(candidates.length > 0 ? { candidates } : {}), ...(options.prefer ? { prefer: [options.prefer] } : {}) };
      await mapLines(process.stdin, process.stdout, (line) => detector.detect(line, settings).language ?? UNDETERMINED);
    });

  program
    .command('intents')
    .description('intent classification')
    .command('eval')
    .description('train on one CSV and score another (columns text and intent or category): accuracy, macro-F1, most confused pairs')
    .requiredOption('--train <csv>', 'training phrases')
    .requiredOption('--test <csv>', 'phrases to classify')
    .action(async (options: { train: string; test: string }) => {
      const read = (path: string, option: string) => {
        if (!existsSync(path)) throw new CliError(`${option}: no such file ${path}`, undefined, 2);
        return readFileSync(path, 'utf8');
      };
      const { evaluateIntentCsv } = await ai();
      const result = await evaluateIntentCsv(read(options.train, '--train'), read(options.test, '--test'));
      if (!result.ok) throw new CliError(`--${result.file}: the CSV has errors`, { errors: result.errors });
      const { ok: _ok, ...report } = result;
      print(report);
    });

  program
    .command('emotion')
    .description('one emotion per stdin line: anger, disgust, fear, joy, neutral, sadness or surprise (English-trained)')
    .action(async () => {
      const { emotionOfLine, loadEmotionModel, mapLines } = await ai();
      const model = await loadEmotionModel();
      await mapLines(process.stdin, process.stdout, (line) => emotionOfLine(model, line));
    });

  program
    .command('conversations')
    .description("a workspace's conversations")
    .command('export')
    .description('every message as a JSON line, oldest first; personal data (emails, phones, cards, IBANs, IPs, …) masked unless --unmasked')
    .option('--workspace <id>', 'the workspace (default: the only one, or the demo)')
    .option('--since <time>', 'messages at or after this ISO time')
    .option('--until <time>', 'messages before this ISO time')
    .option('--channel <id>', "only this channel's conversations")
    .option('--country <code>', 'the country national phone numbers belong to (default: US)')
    .option('--unmasked', 'keep personal data as stored (for a data-subject request, not for analysis)')
    .action(async (options: { workspace?: string; since?: string; until?: string; channel?: string; country?: string; unmasked?: boolean }) => {
      const time = (value: string | undefined, option: string) => {
        if (value === undefined) return undefined;
        const date = new Date(value);
        if (Number.isNaN(date.getTime())) throw new CliError(`${option}: "${value}" is not an ISO time such as 2026-11-01 or 2026-11-01T09:00:00Z`, undefined, 2);
        return date;
      };
      const since = time(options.since, '--since');
      const until = time(options.until, '--until');
      const { maskPiiDeep, PiiMaskOptionsSchema } = await ai();
      const parsed = PiiMaskOptionsSchema.safeParse(options.country ? { defaultCountry: options.country.toUpperCase() } : {});
      if (!parsed.success) throw new CliError('--country: not valid', { issues: issuesOf(parsed.error, 'options') }, 2);
      const mask = options.unmasked ? <T>(value: T) => value : <T>(value: T) => maskPiiDeep(value, parsed.data);
      await withDatabase(loadConfig(), async ({ prisma, url }) => {
        const { createPool, messagesForExport } = await db();
        const workspaceId = await workspaceOf(prisma, options.workspace);
        const pool = createPool(url, 1);
        try {
          for await (const message of messagesForExport(pool, { workspaceId, since, until, channelId: options.channel })) {
            // Names are not detectable personal data, so they go too unless asked for; thread ids are phone numbers and addresses.
            const line = options.unmasked ? message : { ...message, thread: mask(message.thread), contact: { id: message.contact.id, name: null }, content: mask(message.content) };
            if (!process.stdout.write(`${JSON.stringify(line)}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
          }
        } finally {
          await pool.end();
        }
      });
    });

  const pii = program.command('pii').description('find or mask personal data (emails, phones, cards, IBANs, IPs, …), one text per stdin line');
  for (const command of ['detect', 'mask'] as const) {
    pii
      .command(command)
      .description(command === 'detect' ? 'a JSON array of spans {type, start, end} per line' : 'the line with each span replaced by [EMAIL], [PHONE], …')
      .option('--types <types>', 'only these types, comma-separated (default: all but url)')
      .option('--country <code>', 'the country national phone numbers belong to (default: US)')
      .action(async (options: { types?: string; country?: string }) => {
        const { mapLines, PiiMaskOptionsSchema, piiLine } = await ai();
        const parsed = PiiMaskOptionsSchema.safeParse({ ...(options.types ? { types: listOption(options.types) } : {}), ...(options.country ? { defaultCountry: options.country.toUpperCase() } : {}) });
        if (!parsed.success) throw new CliError('--types/--country: not valid', { issues: issuesOf(parsed.error, 'options') }, 2);
        await mapLines(process.stdin, process.stdout, (line) => piiLine(command, line, parsed.data));
      });
  }
}

export async function main(argv: string[]): Promise<void> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return;
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    const details = error instanceof CliError ? error.details : undefined;
    process.stderr.write(`${JSON.stringify({ error: e.message, ...(details ? { details } : {}) }, null, 2)}\n`);
    process.exitCode = error instanceof CliError ? error.code : 1;
  }
}
