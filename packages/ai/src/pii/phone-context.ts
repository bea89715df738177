/**
 * Words that say "the number next to me is a phone number" or "it is something else".
 * Presidio scores phone candidates with context words the same way; we use them to accept
 * numbers that are phone-shaped but not valid in a numbering plan we know (a foreign local
 * number, a typo, a fictional range), and to refuse valid-looking order or account numbers.
 * Words are matched whole, case-insensitively; CJK words as substrings (no spaces there).
 */
const PHONE_WORDS = [
  // English
  'phone', 'phones', 'telephone', 'tel', 'ph', 'mobile', 'mob', 'cell', 'cellphone', 'cellular',
  'fax', 'call', 'calls', 'calling', 'called', 'ring', 'dial', 'text', 'texting', 'sms', 'message',
  'messages', 'msg', 'whatsapp', 'viber', 'telegram', 'wechat', 'contact', 'reach', 'reachable',
  'landline', 'hotline', 'helpline', 'desk', 'office', 'voicemail', 'answer', 'answering',
  'switchboard',
  // Spanish, Portuguese, Italian
  'teléfono', 'telefono', 'móvil', 'movil', 'celular', 'cel', 'llamar', 'llámame', 'llamame',
  'llamada', 'fijo', 'contacto', 'telefone', 'telemóvel', 'telemovel', 'ligar', 'ligue', 'contato',
  'cellulare', 'chiamare', 'chiamami',
  // German, Dutch, French
  'telefon', 'telefonnummer', 'handy', 'handynummer', 'mobil', 'mobilnummer', 'rufnummer', 'anrufen',
  'erreichbar', 'festnetz', 'ruf', 'rufen', 'anruf', 'telefoon', 'mobiel', 'bellen', 'bel',
  'téléphone', 'tél', 'portable', 'appeler', 'appelez', 'joindre',
  // Russian, Arabic, Turkish
  'телефон', 'тел', 'моб', 'звоните', 'позвоните', 'هاتف', 'الهاتف', 'جوال', 'موبايل', 'اتصل',
  'telefonu',
] as const;

const CJK_PHONE_WORDS = ['电话', '電話', '手机', '手機', '联系', '聯絡', '传真', '傳真', '携帯', '전화', '휴대폰', '연락'] as const;

const OTHER_WORDS = [
  'order', 'orders', 'invoice', 'tracking', 'track', 'shipment', 'parcel', 'package', 'ref',
  'reference', 'account', 'acct', 'iban', 'card', 'ssn', 'sku', 'item', 'product', 'ticket', 'case',
  'po', 'transaction', 'txn', 'serial', 'zip', 'postal', 'postcode', 'pin', 'otp', 'id',
  'passport', 'license', 'licence', 'amount', 'price', 'total', 'isbn', 'pedido', 'bestellung',
  'commande', 'rechnung', 'factura', 'fatura', 'ordine', 'заказ', 'cep', 'plz',
] as const;

const CJK_OTHER_WORDS = ['订单', '訂單', '单号', '單號', '快递', '快遞', '运单', '運單', '注文'] as const;

// A house number comes before a street name ("17031 2202 Rissik St", "12 34 56 Rue de …").
const STREET_SUFFIXES = [
  'St', 'Street', 'Rd', 'Road', 'Ave', 'Avenue', 'Blvd', 'Boulevard', 'Ln', 'Lane', 'Dr', 'Drive', 'Way',
  'Ct', 'Court', 'Pl', 'Place', 'Sq', 'Square', 'Hwy', 'Highway', 'Pkwy', 'Parkway', 'Terrace', 'Str',
  'Straße', 'Strasse', 'Weg', 'Gasse', 'Straat', 'Laan', 'Ul',
];
const STREET_PREFIXES = ['Rue', 'Calle', 'Avenida', 'Av\\.', 'Via', 'Viale', 'Rua', 'Avenue'];
const STREET_AFTER = new RegExp(
  `^[ \\u00a0,]*(?:(?:${STREET_PREFIXES.join('|')})[ \\u00a0]+\\p{L}` +
    `|(?:\\p{Lu}[\\p{L}'.-]*[ \\u00a0]+){1,3}(?:${STREET_SUFFIXES.join('|')})(?!\\p{L}))`,
  'u',
);
const CURRENCY_AFTER =
  /^[ \u00a0]?(?:[$€£¥₹₽₩%]|(?:usd|eur|gbp|jpy|cny|rmb|vnd|inr|brl|mxn|aud|cad|chf|dollars?|euros?|yuan)(?!\p{L}))/iu;

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

function keywordPattern(words: readonly string[], cjk: readonly string[]): string {
  return `(?<![\\p{L}\\p{M}])(?:${words.map(escape).join('|')})(?![\\p{L}\\p{M}])|${cjk.map(escape).join('|')}`;
}

const KEYWORD = new RegExp(
  `(${keywordPattern(PHONE_WORDS, CJK_PHONE_WORDS)})|(${keywordPattern(OTHER_WORDS, CJK_OTHER_WORDS)})`,
  'giu',
);
// A label right after the number, past punctuation and at most one short word or particle
// ("… (mobile)", "…-Fax", "…로 연락주세요").
const KEYWORD_AFTER = new RegExp(`^[\\s\\-–,:;/\\\\()[\\]]*(?:[\\p{L}']{1,4}[\\s,]*)?(?:${KEYWORD.source})`, 'iu');
const LETTER = /\p{L}/u;

export type PhoneContext = 'phone' | 'other' | 'none';

/**
 * The nearest keyword before the number (same line, or the line above when the number stands
 * on a line of its own under a label such as "Phone:") decides; failing that, a keyword right
 * after it.
 */
export function phoneContext(text: string, start: number, end: number): PhoneContext {
  const afterLine = text.slice(end, end + 24).split('\n')[0] ?? '';
  if (CURRENCY_AFTER.test(afterLine) || STREET_AFTER.test(afterLine)) return 'other';

  const before = nearbyTextBefore(text, start);
  let last: PhoneContext = 'none';
  for (const match of before.matchAll(KEYWORD)) last = match[1] !== undefined ? 'phone' : 'other';
  if (last !== 'none') return last;

  const match = KEYWORD_AFTER.exec(afterLine);
  if (match === null) return 'none';
  return match[1] !== undefined ? 'phone' : 'other';
}

function nearbyTextBefore(text: string, start: number): string {
  const lines = text.slice(Math.max(0, start - 48), start).split('\n');
  const current = lines.at(-1) ?? '';
  const window = LETTER.test(current) ? current : `${lines.at(-2) ?? ''}\n${current}`;
  // Six words are enough for "you can reach me any time at"; further back is another topic.
  const words = window.split(/(?<=\s)/u);
  return words.slice(-6).join('');
}
