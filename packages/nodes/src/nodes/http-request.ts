import { z } from 'zod';
import { defineNode, next, type RunContext } from '../define.ts';
import { VariableName } from '../flow/document.ts';
import { lookup } from '../templates/template.ts';
import { hint } from './hints.ts';

const HTTP_URL = /^https?:\/\//;

/**
 * Values substituted into a URL are percent-encoded, so a customer's answer cannot add query parameters or
 * path segments. A placeholder at the very start may supply the whole base URL (`{{apiBase}}/orders/{{id}}`).
 */
export function renderUrl(ctx: RunContext, template: string): string {
  const leading = /^\{\{[^{}]*\}\}/.exec(template);
  if (!leading) return ctx.render(template, encodeURIComponent);
  return ctx.render(leading[0]) + ctx.render(template.slice(leading[0].length), encodeURIComponent);
}

export const httpRequestNode = defineNode({
  type: 'http-request',
  typeVersion: 1,
  category: 'integration',
  title: 'HTTP request',
  description: 'Calls an API (templated URL, headers and body) and stores fields of its JSON response in variables.',
  icon: 'globe',
  hasErrorPort: true,
  config: z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET').meta(hint({ title: 'Method' })),
    url: z
      .string()
      .min(1, 'enter a URL')
      .refine((u) => HTTP_URL.test(u) || u.startsWith('{{'), 'must start with http:// or https://')
      .meta(
        hint({
          title: 'URL',
          widget: 'template',
          placeholder: 'https://api.example.com/orders/{{orderId}}',
          description: 'Substituted values are URL-encoded; a leading {{variable}} may hold the base URL.',
        }),
      ),
    headers: z
      .array(
        z.object({
          name: z.string().min(1).meta(hint({ title: 'Header', placeholder: 'Authorization' })),
          value: z.string().meta(hint({ title: 'Value', widget: 'template' })),
        }),
      )
      .default([])
      .meta(hint({ title: 'Headers', widget: 'key-value', itemLabel: 'Header' })),
    body: z
      .string()
      .default('')
      .meta(hint({ title: 'Body', widget: 'code', description: 'Sent with POST, PUT and PATCH, as JSON unless a Content-Type header says otherwise.' })),
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000).meta(hint({ title: 'Timeout (ms)' })),
    /** `variable <- path`: `path` is dotted into the JSON response (`order.status`, `items.0.name`). */
    responseMapping: z
      .array(
        z.object({
          variable: VariableName.meta(hint({ title: 'Variable' })),
          path: z.string().min(1).meta(hint({ title: 'Response path', placeholder: 'order.status' })),
        }),
      )
      .default([])
      .meta(hint({ title: 'Save from response', itemLabel: 'Mapping', description: 'Copies fields of the JSON response into variables.' })),
    statusVariable: VariableName.optional().meta(hint({ title: 'Save status code as', description: 'A variable for the HTTP status code; optional.' })),
  }),
  ports: () => [{ id: 'next', label: 'Success' }],
  writes: (config) => [...config.responseMapping.map((m) => m.variable), ...(config.statusVariable ? [config.statusVariable] : [])],
  run: async (ctx, config) => {
    const url = renderUrl(ctx, config.url);
    if (!HTTP_URL.test(url)) return { kind: 'error', message: `URL "${url}" is not http(s)` };
    const headers: Record<string, string> = {};
    for (const h of config.headers) headers[h.name] = ctx.render(h.value);
    const body = config.method === 'GET' || config.method === 'DELETE' ? undefined : ctx.render(config.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await ctx.services.http({ method: config.method, url, headers, body, timeoutMs: config.timeoutMs });
    } catch (error) {
      return { kind: 'error', message: `request failed: ${(error as Error).message}` };
    }
    if (config.statusVariable) ctx.setVariable(config.statusVariable, response.status);
    if (response.status >= 400) return { kind: 'error', message: `HTTP ${response.status}` };
    if (config.responseMapping.length > 0) {
      let json: unknown;
      try {
        json = JSON.parse(response.body);
      } catch {
        return { kind: 'error', message: 'response is not JSON' };
      }
      for (const m of config.responseMapping) ctx.setVariable(m.variable, lookup({ root: json }, `root.${m.path}`));
    }
    return next();
  },
});
