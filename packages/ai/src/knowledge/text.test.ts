import { describe, expect, it } from 'vitest';
import { foldLatinAccents, markdownToPlainText, searchableText, searchableWords, segmentUnspaced } from './text.ts';

describe('markdownToPlainText', () => {
  it('drops markdown markup and keeps headings, list items and paragraphs apart', () => {
    const markdown = [
      '# Returns *and* refunds #',
      '',
      'You can **return** most items within __30 days__; see ~~old~~ [our policy](https://shop.example/returns "Returns").',
      '',
      '> Gold members: no limit.',
      '',
      '* By mail',
      '+ In store',
      '3) Drop-off centre',
      '- [x] done',
      '',
      '---',
      '![a parcel](parcel.png) Keep the `receipt`.<br>Thanks &amp; bye',
    ].join('\n');
    expect(markdownToPlainText(markdown)).toBe(
      [
        'Returns and refunds',
        '',
        'You can return most items within 30 days; see old our policy.',
        '',
        'Gold members: no limit.',
        '',
        '- By mail',
        '- In store',
        '3. Drop-off centre',
        '- done',
        '',
        'a parcel Keep the receipt.',
        'Thanks & bye',
      ].join('\n'),
    );
  });

  it('writes out link addresses when asked, as a chat answer needs them', () => {
    expect(markdownToPlainText('Track it [here](https://shop.example/track) or at <https://shop.example>.', { urls: true })).toBe(
      'Track it here (https://shop.example/track) or at https://shop.example.',
    );
    expect(markdownToPlainText('[https://shop.example](https://shop.example)', { urls: true })).toBe('https://shop.example');
  });

  it('keeps code blocks, tables and snake_case words readable', () => {
    const markdown = ['```sh', 'curl -X POST *not emphasis*', '```', '', '| Size | Chest |', '|:---|---:|', '| M | 96 cm |', '', 'my_order_id stays'].join('\n');
    expect(markdownToPlainText(markdown)).toBe(['curl -X POST *not emphasis*', '', 'Size | Chest', 'M | 96 cm', '', 'my_order_id stays'].join('\n'));
  });
});

describe('segmentUnspaced', () => {
  it('splits Chinese runs into overlapping bigrams and leaves other text alone', () => {
    expect(segmentUnspaced('退货政策')).toBe('退货 货政 政策');
    expect(segmentUnspaced('我的order号码是12345')).toBe('我的 order 号码 码是 12345');
    expect(segmentUnspaced('买 shoes')).toBe('买 shoes');
    expect(segmentUnspaced('Returns, refunds!')).toBe('Returns, refunds!');
  });

  it('treats kanji and kana as one run, and Hangul too', () => {
    expect(segmentUnspaced('返品します')).toBe('返品 品し しま ます');
    expect(segmentUnspaced('배송 조회')).toBe('배송 조회');
    expect(segmentUnspaced('환불정책')).toBe('환불 불정 정책');
  });

  it('counts a Thai consonant with its vowel and tone marks as one character', () => {
    // ร้ and ค้ carry marks: a code-point split would index the marks alone.
    expect(segmentUnspaced('ร้านค้า')).toBe('ร้า าน นค้ ค้า');
  });

  it('never joins characters across punctuation or another script', () => {
    expect(segmentUnspaced('退货。政策')).toBe('退货 。 政策');
    expect(segmentUnspaced('退货ร้าน')).toBe('退货 ร้า าน');
  });
});

describe('foldLatinAccents', () => {
  it('removes accents from Latin letters only', () => {
    expect(foldLatinAccents('devolución, Rückgabe, crème brûlée')).toBe('devolucion, Ruckgabe, creme brulee');
    expect(foldLatinAccents('がぎ')).toBe('がぎ');
    expect(foldLatinAccents('йод')).toBe('йод');
  });
});

describe('searchableText and searchableWords', () => {
  it('unifies full-width forms and splits unspaced scripts after stripping markdown', () => {
    expect(searchableText('**ＰａｙＰａｌ** で支払う')).toBe('PayPal で支 支払 払う');
  });

  it('reads words as Postgres splits them: at apostrophes, hyphens and punctuation, lowercased', () => {
    expect(searchableWords("Can't log-in to my E-mail (it's urgent)")).toEqual(['can', 't', 'log', 'in', 'to', 'my', 'e', 'mail', 'it', 's', 'urgent']);
  });
});
