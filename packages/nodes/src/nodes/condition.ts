import { z } from 'zod';
import { defineNode, ERROR_PORT, PortId, type RunContext } from '../define.ts';
import { contentText } from '../schemas/events.ts';
import { lookup } from '../templates/template.ts';
import { hint } from './hints.ts';

const Comparison = z.enum(['equals', 'not-equals', 'contains', 'starts-with', 'regex', 'exists', 'not-exists', 'gt', 'lt', 'in']).meta(
  hint({
    title: 'Comparison',
    optionLabels: {
      'not-equals': 'Does not equal',
      regex: 'Matches regex',
      exists: 'Has a value',
      'not-exists': 'Is empty',
      gt: 'Greater than',
      lt: 'Less than',
      in: 'Is one of (comma-separated)',
    },
  }),
);

/** What a rule compares with: a template, since `contact-attribute` and `variable` rules render it. */
const ComparedValue = z.string().default('').meta(hint({ title: 'Value', widget: 'template' }));

const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const Rule = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('text'),
        op: z.enum(['contains', 'equals', 'starts-with', 'regex']).meta(hint({ title: 'Comparison', optionLabels: { regex: 'Matches regex' } })),
        value: z.string().min(1).meta(hint({ title: 'Text' })),
        caseSensitive: z.boolean().default(false).meta(hint({ title: 'Case sensitive' })),
      })
      .meta(hint({ title: 'Message text' })),
    z
      .object({
        kind: z.literal('channel'),
        values: z
          .array(z.string().min(1))
          .min(1)
          .meta(hint({ title: 'Channels', itemLabel: 'Channel', description: 'Channel types (whatsapp, telegram, webchat) or channel ids.' })),
      })
      .meta(hint({ title: 'Channel' })),
    z
      .object({
        kind: z.literal('language'),
        values: z
          .array(z.string().min(2))
          .min(1)
          .meta(hint({ title: 'Languages', itemLabel: 'Language', description: 'Codes such as en or pt-BR; en also matches en-GB.' })),
      })
      .meta(hint({ title: 'Language' })),
    z
      .object({ kind: z.literal('contact-attribute'), key: z.string().min(1).meta(hint({ title: 'Attribute' })), op: Comparison, value: ComparedValue })
      .meta(hint({ title: 'Contact attribute' })),
    z
      .object({ kind: z.literal('variable'), name: z.string().min(1).meta(hint({ title: 'Variable' })), op: Comparison, value: ComparedValue })
      .meta(hint({ title: 'Variable' })),
    z
      .object({
        kind: z.literal('business-hours'),
        timezone: z
          .string()
          .min(1)
          .refine(isTimeZone, 'unknown IANA time zone')
          .meta(hint({ title: 'Time zone', placeholder: 'Europe/Madrid' })),
        days: z.array(Weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']).meta(hint({ title: 'Days' })),
        open: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').meta(hint({ title: 'Opens at', placeholder: '09:00' })),
        close: z
          .string()
          .regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:MM')
          .meta(hint({ title: 'Closes at', placeholder: '18:00', description: 'Before the opening time, the hours span midnight.' })),
        /** `inside` matches during opening hours; `outside` matches when the shop is closed. */
        when: z
          .enum(['inside', 'outside'])
          .default('inside')
          .meta(hint({ title: 'Matches', optionLabels: { inside: 'During opening hours', outside: 'Outside opening hours' } })),
      })
      .meta(hint({ title: 'Business hours' })),
  ])
  .meta(hint({ title: 'Match on' }));
export type Rule = z.infer<typeof Rule>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const Branch = z.object({
  id: PortId.refine((id) => id !== 'else' && id !== ERROR_PORT.id, 'reserved port id').meta(hint({ title: 'Id', widget: 'auto-id' })),
  label: z.string().min(1).meta(hint({ title: 'Label', description: "Names the branch's output." })),
  match: z
    .enum(['all', 'any'])
    .default('all')
    .meta(hint({ title: 'Match when', optionLabels: { all: 'All rules match', any: 'Any rule matches' } })),
  rules: z.array(Rule).min(1, 'a branch needs at least one rule').meta(hint({ title: 'Rules', itemLabel: 'Rule' })),
});

function compare(actual: unknown, op: z.infer<typeof Comparison>, expected: string): boolean {
  const text = actual === undefined || actual === null ? '' : typeof actual === 'string' ? actual : JSON.stringify(actual);
  switch (op) {
    case 'exists':
      return actual !== undefined && actual !== null && text !== '';
    case 'not-exists':
      return actual === undefined || actual === null || text === '';
    case 'equals':
      return text.toLowerCase() === expected.toLowerCase();
    case 'not-equals':
      return text.toLowerCase() !== expected.toLowerCase();
    case 'contains':
      return text.toLowerCase().includes(expected.toLowerCase());
    case 'starts-with':
      return text.toLowerCase().startsWith(expected.toLowerCase());
    case 'regex':
      return safeRegex(expected, 'i')?.test(text) ?? false;
    case 'gt': {
      const [a, b] = [numeric(text), numeric(expected)];
      return a !== null && b !== null && a > b;
    }
    case 'lt': {
      const [a, b] = [numeric(text), numeric(expected)];
      return a !== null && b !== null && a < b;
    }
    case 'in':
      return expected.split(',').map((s) => s.trim().toLowerCase()).includes(text.toLowerCase());
    default: {
      const unreachable: never = op;
      return unreachable;
    }
  }
}

/** `Number('')` is 0, so without this a missing value would be "less than 5". */
function numeric(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function safeRegex(source: string, flags: string): RegExp | null {
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

type Weekday = z.infer<typeof Weekday>;

/** Local weekday and minutes since midnight of `now` in `timeZone`. */
export function localTime(now: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').slice(0, 3).toLowerCase() as Weekday;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const WEEK: readonly Weekday[] = Weekday.options;

function previousDay(day: Weekday): Weekday {
  return WEEK[(WEEK.indexOf(day) + WEEK.length - 1) % WEEK.length] ?? day;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function ruleMatches(ctx: RunContext, rule: Rule): boolean {
  switch (rule.kind) {
    case 'text': {
      const text = ctx.message ? contentText(ctx.message.content) : '';
      if (rule.op === 'regex') return safeRegex(rule.value, rule.caseSensitive ? '' : 'i')?.test(text) ?? false;
      const a = rule.caseSensitive ? text.trim() : text.trim().toLowerCase();
      const b = rule.caseSensitive ? rule.value : rule.value.toLowerCase();
      if (rule.op === 'equals') return a === b;
      if (rule.op === 'starts-with') return a.startsWith(b);
      return a.includes(b);
    }
    case 'channel':
      return rule.values.includes(ctx.conversation.channelType) || rule.values.includes(ctx.conversation.channelId);
    case 'language': {
      const language = (ctx.conversation.language ?? ctx.message?.locale ?? ctx.message?.from.locale ?? '').toLowerCase();
      return rule.values.some((v) => language === v.toLowerCase() || language.startsWith(`${v.toLowerCase()}-`));
    }
    case 'contact-attribute':
      return compare(lookup(ctx.contact.attributes, rule.key), rule.op, ctx.render(rule.value));
    case 'variable':
      return compare(lookup(ctx.variables, rule.name), rule.op, ctx.render(rule.value));
    case 'business-hours': {
      const { day, minutes } = localTime(ctx.now, rule.timezone);
      const open = toMinutes(rule.open);
      const close = toMinutes(rule.close);
      // A window that closes before it opens spans midnight (22:00-06:00); its early hours belong to the day
      // it opened, so "fri 22:00-06:00" covers Saturday 01:00 and not Monday 01:00.
      const inside =
        open <= close
          ? rule.days.includes(day) && minutes >= open && minutes < close
          : (rule.days.includes(day) && minutes >= open) || (rule.days.includes(previousDay(day)) && minutes < close);
      return rule.when === 'inside' ? inside : !inside;
    }
    default: {
      const unreachable: never = rule;
      return unreachable;
    }
  }
}

export const conditionNode = defineNode({
  type: 'condition',
  typeVersion: 1,
  category: 'logic',
  title: 'Condition',
  description: 'Routes by the first branch whose rules match: text, channel, language, contact attribute, variable, business hours.',
  icon: 'split',
  hasErrorPort: false,
  config: z
    .object({
      branches: z
        .array(Branch)
        .min(1, 'add at least one branch')
        .meta(hint({ title: 'Branches', itemLabel: 'Branch', description: 'Checked top to bottom: the first that matches wins, otherwise Else.' })),
    })
    .refine((c) => new Set(c.branches.map((b) => b.id)).size === c.branches.length, { message: 'branch ids must be unique', path: ['branches'] }),
  ports: (config) => [...config.branches.map((b) => ({ id: b.id, label: b.label })), { id: 'else', label: 'Else' }],
  run: (ctx, config) => {
    for (const branch of config.branches) {
      const results = branch.rules.map((rule) => ruleMatches(ctx, rule));
      const matched = branch.match === 'all' ? results.every(Boolean) : results.some(Boolean);
      if (matched) return { kind: 'next', port: branch.id };
    }
    return { kind: 'next', port: 'else' };
  },
});
