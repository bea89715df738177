import { detectPii } from './detect.ts';
import { DEFAULT_PLACEHOLDERS, type PiiMaskOptions, type PiiSpan } from './types.ts';

function placeholderFor(span: PiiSpan, options: PiiMaskOptions): string {
  const placeholder = options.placeholders?.[span.type] ?? DEFAULT_PLACEHOLDERS[span.type];
  if (span.type !== 'credit_card' || options.keepCardLast4 !== true) return placeholder;
  const last4 = span.text.replace(/\D/gu, '').slice(-4);
  return placeholder.endsWith(']') ? `${placeholder.slice(0, -1)} ****${last4}]` : `${placeholder} ****${last4}`;
}

/** Replaces each detected span with one placeholder and leaves every other character as it was. */
export function maskPii(text: string, options: PiiMaskOptions = {}): string {
  const spans = detectPii(text, options);
  if (spans.length === 0) return text;
  let masked = '';
  let cursor = 0;
  for (const span of spans) {
    masked += text.slice(cursor, span.start) + placeholderFor(span, options);
    cursor = span.end;
  }
  return masked + text.slice(cursor);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Masks every string inside a JSON-like value (log records, exports) and returns a copy with
 * the same shape. Keys, numbers and non-plain objects (dates, buffers, class instances) are
 * kept as they are; a phone number stored as a JSON number is therefore not masked.
 * Shared and cyclic references stay shared and cyclic in the copy.
 */
export function maskPiiDeep<T>(value: T, options: PiiMaskOptions = {}): T {
  const copies = new Map<object, unknown>();
  const visit = (current: unknown): unknown => {
    if (typeof current === 'string') return maskPii(current, options);
    if (Array.isArray(current)) {
      const existing = copies.get(current);
      if (existing !== undefined) return existing;
      const copy: unknown[] = [];
      copies.set(current, copy);
      for (const item of current) copy.push(visit(item));
      return copy;
    }
    if (isPlainObject(current)) {
      const existing = copies.get(current);
      if (existing !== undefined) return existing;
      const copy: Record<string, unknown> = {};
      copies.set(current, copy);
      // defineProperty, because assigning a parsed "__proto__" key would set the prototype.
      for (const [key, item] of Object.entries(current)) {
        Object.defineProperty(copy, key, { value: visit(item), enumerable: true, writable: true, configurable: true });
      }
      return copy;
    }
    return current;
  };
  // Strings map to strings and containers to containers of the same shape, so the copy has
  // the caller's type as far as JSON-like values go (a string literal type may no longer hold).
  return visit(value) as T;
}
