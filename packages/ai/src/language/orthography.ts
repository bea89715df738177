import type { LanguageCode } from './languages.ts';
import type { Script } from './scripts.ts';

/** The letters every language of a script writes; anything else is a letter some of them never use. */
const CORE: Partial<Record<Script, string>> = {
  Latin: 'abcdefghijklmnopqrstuvwxyz',
  Cyrillic: 'абвгдежзийклмнопрстуфхцчшщьюя',
  Arabic: 'ابتثجحخدذرزسشصضطظعغفقلمنهوءآأإؤئ',
};

/**
 * The letters beyond the core that a language writes in its own words (lower case, NFC), from the
 * languages' alphabets. A letter outside its alphabet does not rule a language out (names, loanwords), it
 * makes it much less likely.
 */
const OWN_LETTERS: Partial<Record<LanguageCode, string>> = {
  en: '',
  es: 'áéíóúüñ',
  pt: 'áâãàçéêíóôõú',
  fr: 'àâæçéèêëîïôœùûüÿ',
  de: 'äöüß',
  it: 'àèéìíîòóùú',
  nl: 'áéíóúàèëïöü',
  tr: 'çğıöşüâîû',
  pl: 'ąćęłńóśźż',
  vi: 'àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ',
  id: 'é',
  ms: 'é',
  sv: 'åäöé',
  cs: 'áčďéěíňóřšťúůýž',
  // Both the comma-below letters and the cedilla ones older keyboards type.
  ro: 'ăâîșțşţ',
  hu: 'áéíóöőúüű',
  da: 'æøåé',
  fi: 'äöåšž',
  tl: 'ñáàâéèêíìîóòôúùû',
  lt: 'ąčęėįšųūž',
  lv: 'āčēģīķļņšūž',
  et: 'äöõüšž',
  ru: 'ёъыэ',
  uk: 'ґєії',
  bg: 'ъѝ',
  ar: 'يىكة',
  // Persian typed on Arabic keyboards writes Arabic yeh and kaf; only its four extra letters are telltale.
  fa: 'پچژگکیۀيك',
};

const FOREIGN_LETTER_PENALTY = 0.05;

/**
 * The factor a language's score is multiplied by for the letters of the text it never writes: 1 when it
 * writes them all, 0.05 for each distinct letter it does not. Languages of scripts without a table, and
 * letters of other scripts, are left alone.
 */
export function orthographyFactor(language: LanguageCode, script: Script, letters: ReadonlySet<string>): number {
  const core = CORE[script];
  const own = OWN_LETTERS[language];
  if (core === undefined || own === undefined) return 1;
  let factor = 1;
  for (const letter of letters) {
    if (!core.includes(letter) && !own.includes(letter)) factor *= FOREIGN_LETTER_PENALTY;
  }
  return factor;
}
