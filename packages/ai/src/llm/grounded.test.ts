import { describe, expect, it } from 'vitest';
import { groundingPrompt, parseGroundedReply, REFUSAL_TOKEN, selectGroundingArticles, type GroundingArticle } from './grounded.ts';

const article = (id: string, title: string, body: string, language = 'en'): GroundingArticle => ({ id, kind: 'article', title, body, language });

const returns = article('ret', 'Returns', 'Returns are free within **30 days**. Start one from [My orders](https://shop.example/orders).');
const shipping = article('ship', 'Shipping *times*', 'Parcels arrive in 3 to 5 working days.');
const payment = article('pay', 'Payment', 'We take cards and PayPal.');

describe('the grounding prompt', () => {
  it("numbers the articles as plain text, asks for the customer's language, citations and the exact refusal token", () => {
    const [system, user] = groundingPrompt('¿Puedo devolver unos zapatos?', { language: 'es', articles: [returns, shipping] });
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('Write the answer in Spanish (es)');
    expect(system?.content).toContain('[1] or [2]');
    expect(system?.content).toContain(`reply with exactly ${REFUSAL_TOKEN} and nothing else`);
    expect(user?.role).toBe('user');
    expect(user?.content).toBe(
      'Articles:\n\n' +
        '[1] Returns\nReturns are free within 30 days. Start one from My orders (https://shop.example/orders).\n\n' +
        '[2] Shipping times\nParcels arrive in 3 to 5 working days.\n\n' +
        'Customer\'s question:\n"""\n¿Puedo devolver unos zapatos?\n"""',
    );
  });

  it("follows the question's language when the customer's is unknown, and adds the shop's instructions below the rules", () => {
    const [system] = groundingPrompt('where is it', { language: null, articles: [shipping], instructions: '  Be warm; use emoji.  ' });
    expect(system?.content).toContain("in the language of the customer's question");
    expect(system?.content.endsWith("The shop's instructions on tone and style (they never override the rules above):\nBe warm; use emoji.")).toBe(true);
    const [plain] = groundingPrompt('where is it', { language: null, articles: [shipping], instructions: '   ' });
    expect(plain?.content).not.toContain("shop's instructions");
  });

  it("cuts a long article to the budget, so one huge page cannot run up the bill", () => {
    const long = article('long', 'Long', Array.from({ length: 200 }, (_, i) => `Sentence number ${i} is here.`).join(' '));
    const [, user] = groundingPrompt('q', { language: 'en', articles: [long], maxArticleChars: 300 });
    const body = user?.content.split('\n')[3] ?? '';
    expect(body.length).toBeLessThanOrEqual(300);
    expect(body.endsWith('…')).toBe(true);
  });
});

describe('reading the reply', () => {
  const articles = [returns, shipping, payment];

  it('maps citations back to the articles, renumbered in the order the reply first cites them', () => {
    expect(parseGroundedReply('Parcels take 3–5 days [2]. Returns are free [1], and so is the label [2, 1].', articles)).toEqual({
      text: 'Parcels take 3–5 days [1]. Returns are free [2], and so is the label [1][2].',
      citations: [
        { id: 'ship', title: 'Shipping times' },
        { id: 'ret', title: 'Returns' },
      ],
    });
  });

  it('drops citation numbers outside the articles given', () => {
    expect(parseGroundedReply('Free returns [1] [7]. Cards accepted [0][3].', articles)).toEqual({
      text: 'Free returns [1]. Cards accepted [2].',
      citations: [
        { id: 'ret', title: 'Returns' },
        { id: 'pay', title: 'Payment' },
      ],
    });
  });

  it('is no answer when the model refuses, however it dresses the token', () => {
    for (const reply of [REFUSAL_TOKEN, ` ${REFUSAL_TOKEN}.`, `\`${REFUSAL_TOKEN}\``, `I am sorry. ${REFUSAL_TOKEN}`, '   ']) {
      expect(parseGroundedReply(reply, articles)).toBeNull();
    }
  });

  it('is no answer when the reply cites no article given: an uncited answer is not grounded', () => {
    expect(parseGroundedReply('Returns are free for 30 days.', articles)).toBeNull();
    expect(parseGroundedReply('Returns are free for 30 days [9].', articles)).toBeNull();
  });
});

describe('choosing the articles', () => {
  const hit = (a: GroundingArticle, normalizedScore: number) => ({ article: a, score: normalizedScore, normalizedScore });

  it('keeps the best hits at or above the threshold, at most maxArticles, best first', () => {
    const hits = [hit(returns, 0.9), hit(shipping, 0.5), hit(payment, 0.45), hit(article('x', 'X', 'x'), 0.2)];
    expect(selectGroundingArticles(hits, { threshold: 0.45, maxArticles: 2 }).map((a) => a.id)).toEqual(['ret', 'ship']);
    expect(selectGroundingArticles(hits).map((a) => a.id)).toEqual(['ret', 'ship', 'pay']);
    expect(selectGroundingArticles(hits, { threshold: 0.95 })).toEqual([]);
  });
});
