/**
 * The fakes' "translation engine": visibly changes the text (so a test can tell a translated word from one that
 * was left alone) and honours each provider's documented "do not translate" markup the way the provider does.
 * It is written independently of the client's glossary code, so a shared mistake cannot hide.
 */

export interface FakeEngineOptions {
  /** Translates one run of text; defaults to upper-casing it. */
  translate?: (text: string, target: string) => string;
  /** Language reported for auto-detected sources; defaults to "en". */
  detect?: (text: string) => string;
  /**
   * Plays a provider that loses the markup around protected terms: the element disappears and its content is
   * translated like the rest of the sentence.
   */
  dropProtectedMarkup?: boolean;
}

export const defaultFakeTranslate = (text: string): string => text.toUpperCase();

export interface MarkupRules {
  /** Matches one protected element, content included. */
  protectedElement: RegExp;
  decode: (text: string) => string;
  encode: (text: string) => string;
}

/** `[target] ` followed by the text with every unprotected run translated; protected elements kept verbatim. */
export function fakeTranslateMarked(input: string, target: string, rules: MarkupRules, options: FakeEngineOptions): string {
  const translate = options.translate ?? defaultFakeTranslate;
  const pattern = new RegExp(rules.protectedElement.source, rules.protectedElement.flags.includes('g') ? rules.protectedElement.flags : `${rules.protectedElement.flags}g`);
  let out = '';
  let at = 0;
  const translateRun = (run: string) => (run.trim() ? rules.encode(translate(rules.decode(run), target)) : run);
  for (const match of input.matchAll(pattern)) {
    out += translateRun(input.slice(at, match.index));
    if (options.dropProtectedMarkup) {
      const inner = match[0].replace(/^<[^>]*>/, '').replace(/<\/[^>]*>$/, '');
      out += translateRun(inner);
    } else {
      out += match[0];
    }
    at = match.index + match[0].length;
  }
  out += translateRun(input.slice(at));
  return `[${target}] ${out}`;
}

export function fakeTranslatePlain(input: string, target: string, options: FakeEngineOptions): string {
  const translate = options.translate ?? defaultFakeTranslate;
  return `[${target}] ${translate(input, target)}`;
}
