/**
 * The canonical form both list entries and messages are matched in, with a map back to the
 * original text. It folds the tricks people use to slip a word past a filter:
 * - case, accents and compatibility forms: "FÜCK", "Ｆｕｃｋ" and "fuck" read the same;
 * - look-alike digits and symbols inside a word (l33t): "sh1t", "a$$", "h3ll0", "f@ck";
 * - stretched letters: "fuuuuck" — runs of one letter become one canonical character that
 *   remembers its length, so an entry matches a run at least as long as its own ("ass" still
 *   needs two s: "as" is no match);
 * - letters spaced out one by one: "f u c k", "f.u.c.k", "法 轮 功", "法*轮*功";
 * - any run of whitespace, which reads as one space ("hello   world" is "hello world").
 * It does not guess at letters replaced by "*" ("f*ck"), at homoglyphs from other scripts,
 * or at simplified/traditional Chinese variants: list those spellings as entries.
 */

// Digit and symbol look-alikes, read as letters only inside a word (so prices stay prices).
// "1" is read as "i" ("sh1t"); list the "l" reading ("k1ll") as its own entry if it matters.
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};
const SPACING = new Set([' ', '\u00a0', '\u3000', '.', '-', '_', '*', '·', '•', ',', '~', '+', '|', '/', '\\']);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;
const UNSPACED_LETTER = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}]/u;
const MARK = /\p{M}/gu;
const WHITESPACE = /\s/u;

export interface CanonicalText {
  /** Canonical characters, one per run of equal characters when runs are collapsed. */
  text: string;
  /** For canonical UTF-16 index i: the original [start, end) it came from. */
  starts: number[];
  ends: number[];
  /** For canonical UTF-16 index i: how many equal characters its run had. */
  runs: number[];
}

export interface CanonicalOptions {
  /** Fold l33t look-alikes, stretched letters and spaced-out letters (case and accents always fold). */
  obfuscations: boolean;
}

const foldCache = new Map<string, string>();

/** Lowercase, without accents, compatibility forms folded (fullwidth, ligatures). */
function foldChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : char;
  let folded = foldCache.get(char);
  if (folded === undefined) {
    // NFD then dropping marks removes accents; NFKC then recomposes Hangul and folds widths.
    folded = char.normalize('NFD').replace(MARK, '').normalize('NFKC').toLowerCase();
    if (foldCache.size < 10_000) foldCache.set(char, folded);
  }
  return folded;
}

const enum Kind {
  Other = 0,
  Letter = 1,
  Digit = 2,
  /** A LEET symbol that is neither letter nor digit ("@", "$", "!"). */
  Symbol = 3,
}

/** The text split into code points, each with its original offset and its kind. */
interface Units {
  chars: string[];
  starts: number[];
  kinds: Uint8Array;
  unspaced: Uint8Array;
}

function splitUnits(text: string): Units {
  const chars: string[] = [];
  const starts: number[] = [];
  let offset = 0;
  for (const char of text) {
    chars.push(char);
    starts.push(offset);
    offset += char.length;
  }
  const kinds = new Uint8Array(chars.length);
  const unspaced = new Uint8Array(chars.length);
  chars.forEach((char, i) => {
    const code = char.charCodeAt(0);
    if (code < 0x80) {
      const lower = code | 0x20;
      if (lower >= 97 && lower <= 122) kinds[i] = Kind.Letter;
      else if (code >= 48 && code <= 57) kinds[i] = Kind.Digit;
      else if (char in LEET) kinds[i] = Kind.Symbol;
      return;
    }
    if (LETTER.test(char)) kinds[i] = Kind.Letter;
    else if (DIGIT.test(char)) kinds[i] = Kind.Digit;
    if (UNSPACED_LETTER.test(char)) unspaced[i] = 1;
  });
  return { chars, starts, kinds, unspaced };
}

/**
 * Separators people insert to break a word up: any single one between two CJK/Thai letters
 * (those scripts put no spaces between words anyway), and those in a chain of at least three
 * single letters elsewhere ("f.u.c.k", "s h 1 t"; "f u c king" is no chain).
 */
function insertedSeparators(units: Units): Uint8Array {
  const { chars, kinds, unspaced } = units;
  const count = chars.length;
  const dropped = new Uint8Array(count);
  const wordLike = (i: number): boolean => i >= 0 && i < count && kinds[i] !== Kind.Other;
  const isSingle = (i: number): boolean => wordLike(i) && !wordLike(i - 1) && !wordLike(i + 1);
  const isSeparator = (i: number): boolean => i < count && SPACING.has(chars[i] ?? '');
  for (let i = 1; i < count - 1; i += 1) {
    if (unspaced[i - 1] === 1 && unspaced[i + 1] === 1 && isSeparator(i)) dropped[i] = 1;
  }
  let i = 0;
  while (i < count) {
    if (!isSingle(i)) {
      i += 1;
      continue;
    }
    let last = i;
    while (isSeparator(last + 1) && isSingle(last + 2)) last += 2;
    // At least three letters, so two separators.
    if (last - i >= 4) for (let k = i + 1; k < last; k += 2) dropped[k] = 1;
    i = last + 1;
  }
  return dropped;
}

/**
 * A look-alike reads as a letter when the word it sits in has a real letter: "h3ll0" and
 * "a$$" are words, "2024" and "$100" are not. "@" and "!" also need letters on both sides,
 * so a mention ("@bob") or an exclamation ("shit!") keeps its meaning.
 */
function readsAsLetter(units: Units, dropped: Uint8Array, index: number): boolean {
  const { chars, kinds } = units;
  const char = chars[index];
  const nextKept = (step: number): number => {
    let k = index + step;
    while (dropped[k] === 1) k += step;
    return k;
  };
  if (char === '@' || char === '!') {
    return kinds[nextKept(-1)] === Kind.Letter && kinds[nextKept(1)] === Kind.Letter;
  }
  for (const step of [-1, 1]) {
    // Bounded, so that a long run of digits costs linear time, not quadratic.
    for (let k = index + step, seen = 0; k >= 0 && k < chars.length && seen < 32; k += step, seen += 1) {
      if (dropped[k] === 1) continue;
      const kind = kinds[k];
      if (kind === Kind.Letter) return true;
      if (kind === Kind.Other || kind === undefined) break;
    }
  }
  return false;
}

export function canonicalize(text: string, options: CanonicalOptions): CanonicalText {
  const units = splitUnits(text);
  const { chars, starts } = units;
  const dropped = options.obfuscations ? insertedSeparators(units) : new Uint8Array(chars.length);
  const out: CanonicalText = { text: '', starts: [], ends: [], runs: [] };
  let previous = '';
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index];
    const start = starts[index];
    if (char === undefined || start === undefined || dropped[index] === 1) continue;
    const end = start + char.length;
    let folded = WHITESPACE.test(char) ? ' ' : foldChar(char);
    if (options.obfuscations) {
      const leet = LEET[char];
      if (leet !== undefined && readsAsLetter(units, dropped, index)) folded = leet;
    }
    if (folded === '') previous = '';
    for (const piece of folded) {
      if (piece === previous && (piece === ' ' || (options.obfuscations && LETTER_OR_DIGIT.test(piece)))) {
        // The same letter again: lengthen the run of the canonical character before.
        for (let k = out.runs.length - piece.length; k < out.runs.length; k += 1) {
          out.runs[k] = (out.runs[k] ?? 1) + 1;
          out.ends[k] = end;
        }
        continue;
      }
      out.text += piece;
      for (let k = 0; k < piece.length; k += 1) {
        out.starts.push(start);
        out.ends.push(end);
        out.runs.push(1);
      }
      previous = piece;
    }
  }
  return out;
}
