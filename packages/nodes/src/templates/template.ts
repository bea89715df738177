/**
 * `{{ path }}` and `{{ path | fallback }}` templating for messages, URLs and bodies. Paths are dotted:
 * `contact.name`, `message.text`, `conversation.language`, or a flow variable by its bare name
 * (`orderId`, `order.status`). A missing or empty value renders the fallback, or nothing.
 */
const PLACEHOLDER = /\{\{\s*([^{}|]+?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

export type Scope = Record<string, unknown>;

export function lookup(scope: Scope, path: string): unknown {
  let value: unknown = scope;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Renders a template. `encode` escapes each substituted value (not the template's own text): URLs use
 * encodeURIComponent so a customer's words cannot change a query string or path.
 */
export function renderTemplate(template: string, scope: Scope, encode?: (value: string) => string): string {
  return template.replace(PLACEHOLDER, (_match, path: string, fallback: string | undefined) => {
    const text = stringify(lookup(scope, path));
    const value = text === '' ? (fallback ?? '') : text;
    return encode ? encode(value) : value;
  });
}

/** Each `{{ placeholder }}` of a template as written, with the path it reads. */
export function templatePlaceholders(template: string): { path: string; source: string }[] {
  return [...template.matchAll(PLACEHOLDER)].flatMap((match) => (match[1] ? [{ path: match[1], source: match[0] }] : []));
}

/** The root names a template reads (`contact` for `{{contact.name}}`), for the validator's undefined-variable check. */
export function templateReferences(template: string): string[] {
  const out: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const path = match[1];
    if (path) out.push(path);
  }
  return out;
}
