const names = new Intl.DisplayNames(['en'], { type: 'language' });

/** "es" → "Spanish"; the code itself when the browser knows no name for it. */
export function languageName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
