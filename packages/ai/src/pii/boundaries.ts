/**
 * Chinese, Japanese, Korean and Thai write without spaces between words, so an email address
 * or a number may touch their letters directly ("电话13812345678", "bob@x.com으로"). Letters of
 * these scripts therefore never extend or block a match; letters of other scripts do.
 */
const UNSPACED_SCRIPTS = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\p{sc=Thai}';

/** A regex source matching one character out of `chars` (a class body) that is not CJK/Thai. */
export function spacedClass(chars: string): string {
  return `(?:(?![${UNSPACED_SCRIPTS}])[${chars}])`;
}

/** A letter, digit or underscore of a script that separates words with spaces. */
export const WORD_CHAR = spacedClass('\\p{L}\\p{N}_');

/**
 * Maps fullwidth ASCII forms (U+FF01-U+FF5E) and the ideographic space to ASCII. Each maps one
 * UTF-16 unit to one, so offsets found in the result hold for the original text.
 */
export function foldFullwidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/gu, (char) =>
    char === '\u3000' ? ' ' : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  );
}
