import { describe, expect, it } from 'vitest';
import { compileGlossary, EMPTY_GLOSSARY_VERSION, protectTerms, restoreTerms, splitAtTerms } from './glossary.ts';

const found = (terms: string[], text: string) => compileGlossary(terms).find(text).map((span) => text.slice(span.start, span.end));

describe('glossary matching', () => {
  it('matches terms case-insensitively, as whole words only', () => {
    expect(found(['Signalbox'], 'Does SIGNALBOX work with signalbox?')).toEqual(['SIGNALBOX', 'signalbox']);
    expect(found(['Visa'], 'Do you need visas or a Visa card?')).toEqual(['Visa']);
    expect(found(['Guess'], 'I guessed the Guess jeans were cheaper')).toEqual(['Guess']);
  });

  it('prefers the longest term where several start at the same place', () => {
    expect(found(['Apple', 'Apple Pay'], 'I paid with apple pay, not an Apple card')).toEqual(['apple pay', 'Apple']);
  });

  it('lets a space in a term match any run of whitespace', () => {
    expect(found(['Tommy Hilfiger'], 'the Tommy\n  Hilfiger jacket')).toEqual(['Tommy\n  Hilfiger']);
  });

  it('finds Latin terms inside text without spaces and terms written in Han', () => {
    expect(found(['Signalbox'], '我买了Signalbox手机')).toEqual(['Signalbox']);
    expect(found(['小米'], '我的小米手机坏了')).toEqual(['小米']);
  });

  it('treats punctuation-led terms literally', () => {
    expect(found(['C++ Pro', '(beta)'], 'Is C++ Pro (beta) out?')).toEqual(['C++ Pro', '(beta)']);
  });

  it('versions the glossary by its terms, not their order, case or duplicates', () => {
    const a = compileGlossary(['Signalbox', 'Apple Pay']);
    expect(compileGlossary(['apple pay', 'SIGNALBOX', 'Signalbox ']).version).toBe(a.version);
    expect(compileGlossary(['Signalbox']).version).not.toBe(a.version);
    expect(compileGlossary([' ', '']).version).toBe(EMPTY_GLOSSARY_VERSION);
  });
});

describe('protecting and restoring terms', () => {
  const glossary = compileGlossary(['Apple Pay']);

  it('escapes the text around the term for XML and restores the term as the customer wrote it', () => {
    const text = 'Is APPLE PAY < 5 € & safe?';
    const marked = protectTerms(text, glossary.find(text), 'xml');
    expect(marked.text).toBe('Is <x id="t0">APPLE PAY</x> &lt; 5 € &amp; safe?');
    const restored = restoreTerms('¿Es <x id="t0">APPLE PAY</x> &lt; 5 € &amp; seguro?', marked.originals, 'xml');
    expect(restored).toEqual({ ok: true, text: '¿Es APPLE PAY < 5 € & seguro?' });
  });

  it('wraps terms in translate="no" spans for HTML', () => {
    const text = 'Pay with Apple Pay';
    expect(protectTerms(text, glossary.find(text), 'html').text).toBe('Pay with <span translate="no" id="t0">Apple Pay</span>');
  });

  it('tolerates the harmless changes providers make to the markup', () => {
    const originals = ['Apple Pay', 'Signalbox'];
    const restored = restoreTerms("<span id='t1' style=\"direction:ltr\" translate=\"no\">Signalbox</span> y <x id=\"t0\"/>", originals, 'html');
    expect(restored).toEqual({ ok: true, text: 'Signalbox y Apple Pay' });
  });

  it('reports placeholders that went missing or that were never sent', () => {
    expect(restoreTerms('Pagar con Apple Pay', ['Apple Pay'], 'xml')).toEqual({ ok: false, missing: [0], unexpected: [] });
    expect(restoreTerms('<x id="t0">A</x> <x id="t3">B</x>', ['A'], 'xml')).toEqual({ ok: false, missing: [], unexpected: [3] });
  });

  it('cuts a text at its terms for the fallback', () => {
    const text = 'Apple Pay failed, try Apple Pay again';
    expect(splitAtTerms(text, glossary.find(text))).toEqual([
      { text: 'Apple Pay', term: true },
      { text: ' failed, try ', term: false },
      { text: 'Apple Pay', term: true },
      { text: ' again', term: false },
    ]);
  });
});
