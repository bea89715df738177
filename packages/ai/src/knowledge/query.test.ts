import { describe, expect, it } from 'vitest';
import { ftsConfigFor } from './fts-config.ts';
import { MAX_KNOWLEDGE_QUERY_WORDS, knowledgeQuery } from './query.ts';

describe('knowledgeQuery', () => {
  it('ORs the distinct words of a question for to_tsquery, which stems them and drops stop words', () => {
    expect(knowledgeQuery('How do I return an item? An item!')).toBe("'how' | 'do' | 'i' | 'return' | 'an' | 'item'");
  });

  it('leaves out greetings, thanks and request frames, in several languages', () => {
    expect(knowledgeQuery('Hi! I want to know how to reset my password, thanks')).toBe("'i' | 'to' | 'how' | 'reset' | 'my' | 'password'");
    expect(knowledgeQuery('Hola, quiero saber el estado de mi pedido, gracias')).toBe("'el' | 'estado' | 'de' | 'mi' | 'pedido'");
    expect(knowledgeQuery('你好，请问怎么退货？谢谢')).toBe("'怎么' | '么退' | '退货'");
    expect(knowledgeQuery('hello, thanks!')).toBe('');
  });

  it('cannot be made to inject tsquery syntax', () => {
    expect(knowledgeQuery("it's & | ! :* <-> ( ) 'x' \\ \"y\"")).toBe("'it' | 's' | 'x' | 'y'");
    expect(knowledgeQuery('&&& ||| !!!')).toBe('');
  });

  it('uses the same bigrams as the index', () => {
    expect(knowledgeQuery('退货政策')).toBe("'退货' | '货政' | '政策'");
  });

  it(`keeps the first ${MAX_KNOWLEDGE_QUERY_WORDS} distinct words of a long message`, () => {
    const words = Array.from({ length: 50 }, (_, i) => `word${i}`);
    const query = knowledgeQuery(words.join(' '));
    expect(query.split(' | ')).toHaveLength(MAX_KNOWLEDGE_QUERY_WORDS);
    expect(query.startsWith("'word0' | 'word1'")).toBe(true);
  });

  it('gives plainto_tsquery and websearch_to_tsquery the searchable question as it is', () => {
    expect(knowledgeQuery('"return policy" -shoes', 'websearch')).toBe('"return policy" -shoes');
    expect(knowledgeQuery('退货政策', 'plain')).toBe('退货 货政 政策');
    expect(knowledgeQuery('?!', 'plain')).toBe('');
  });
});

describe('ftsConfigFor', () => {
  it('maps ISO 639-1 codes, with or without a region, to snowball configurations', () => {
    expect(ftsConfigFor('en')).toBe('english');
    expect(ftsConfigFor('pt-BR')).toBe('portuguese');
    expect(ftsConfigFor('ES')).toBe('spanish');
    expect(ftsConfigFor('nb_NO')).toBe('norwegian');
    expect(ftsConfigFor('ms')).toBe('indonesian');
  });

  it("falls back to 'simple' where Postgres has no stemmer, and for unspaced scripts", () => {
    for (const code of ['zh', 'zh-Hant', 'ja', 'ko', 'th', 'vi', 'pl', 'xx', '']) expect(ftsConfigFor(code)).toBe('simple');
  });
});
