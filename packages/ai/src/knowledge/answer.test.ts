import { describe, expect, it } from 'vitest';
import { answerText, selectAnswer, trimForChat, type KnowledgeHit } from './answer.ts';

const hit = (title: string, normalizedScore: number, language = 'en'): KnowledgeHit => ({
  article: { kind: 'faq', title, body: `${title} answer`, language },
  score: normalizedScore / 10,
  normalizedScore,
});

describe('selectAnswer', () => {
  it('answers with the first hit that reaches the threshold, or not at all', () => {
    expect(selectAnswer([hit('a', 0.3), hit('b', 0.7), hit('c', 0.9)], { threshold: 0.5 })?.article.title).toBe('b');
    expect(selectAnswer([hit('a', 0.3), hit('b', 0.2)], { threshold: 0.5 })).toBeNull();
    expect(selectAnswer([])).toBeNull();
  });

  it("prefers an answer in the customer's language and falls back to another language", () => {
    const hits = [hit('Return policy', 0.9, 'en'), hit('Política de devoluciones', 0.6, 'es')];
    expect(selectAnswer(hits, { threshold: 0.5, language: 'es' })?.article.title).toBe('Política de devoluciones');
    expect(selectAnswer(hits, { threshold: 0.7, language: 'es' })?.article.title).toBe('Return policy');
    expect(selectAnswer(hits, { threshold: 0.5, language: 'de' })?.article.title).toBe('Return policy');
    expect(selectAnswer(hits, { threshold: 0.5, language: 'es-MX' })?.article.title).toBe('Política de devoluciones');
  });
});

describe('trimForChat', () => {
  it('keeps short text, cuts long text at a sentence end, else at a space', () => {
    expect(trimForChat('Short.', 100)).toBe('Short.');
    expect(trimForChat('First sentence here. Second sentence is longer than the rest.', 40)).toBe('First sentence here. …');
    expect(trimForChat('one two three four five six seven eight nine ten', 20)).toBe('one two three four…');
    expect(trimForChat('第一句话很长很长。第二句话也很长很长很长很长。', 16)).toBe('第一句话很长很长。 …');
  });
});

describe('answerText', () => {
  const article = {
    kind: 'article' as const,
    title: 'Shipping options, times and costs',
    body: [
      'We ship every working day.',
      '',
      '## Options',
      '',
      '- **Standard**: $8.00, 3 to 5 working days.',
      '- **Overnight**: $20.00, next working day.',
      '',
      '## International orders',
      '',
      'We ship to most countries; delivery abroad takes 7 to 14 working days. See [the rates](https://shop.example/rates).',
    ].join('\n'),
  };

  it("answers a FAQ with its answer, as plain text with links written out", () => {
    expect(answerText({ kind: 'faq', title: 'Do you ship abroad?', body: 'Yes, see [the rates](https://shop.example/rates).' })).toBe(
      'Yes, see the rates (https://shop.example/rates).',
    );
  });

  it('answers an article with its title and the section about the question', () => {
    expect(answerText(article, { question: 'How long does delivery abroad to other countries take?' })).toBe(
      'Shipping options, times and costs\n\nInternational orders\n\nWe ship to most countries; delivery abroad takes 7 to 14 working days. See the rates (https://shop.example/rates).',
    );
    expect(answerText(article, { question: 'how much is overnight?' })).toBe(
      'Shipping options, times and costs\n\nOptions\n\n- Standard: $8.00, 3 to 5 working days.\n- Overnight: $20.00, next working day.',
    );
  });

  it('starts from the top when the question shares no word with the article, and stays chat-sized', () => {
    expect(answerText(article, { question: 'hello' })).toBe('Shipping options, times and costs\n\nWe ship every working day.\n\nOptions');
    const long = { kind: 'faq' as const, title: 'Long', body: 'A sentence of some length. '.repeat(100) };
    expect(answerText(long, { maxChars: 200 }).length).toBeLessThanOrEqual(200);
  });
});
