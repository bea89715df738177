import { foldLatinAccents, markdownToPlainText, searchableWords, segmentUnspaced } from './text.ts';

export type KnowledgeKind = 'article' | 'faq';

/** What answering needs of an article (the stored article has more; any object with these fields will do). */
export interface AnswerableArticle {
  kind: KnowledgeKind;
  title: string;
  /** Markdown. */
  body: string;
  language: string;
}

/** One search result, as the knowledge repository returns them, best first. */
export interface KnowledgeHit<A extends AnswerableArticle = AnswerableArticle> {
  article: A;
  /** Postgres's `ts_rank_cd`: orders hits of one question, but its scale depends on the question's length. */
  score: number;
  /**
   * 0..1: the share of the question's search terms the article contains, each term weighted by how rare it is
   * among the workspace's articles (and less when only the body has it). Comparable across questions and
   * languages, so one threshold serves all. (Hits found by embedding carry their cosine similarity instead, whose
   * scale depends on the model.)
   */
  normalizedScore: number;
}

/**
 * The normalised score below which the knowledge base has no answer. Chosen with packages/ai/eval/knowledge.ts on
 * the demo knowledge base: at 0.4, 75% of ABCD's FAQ questions are answered with their article, 16% with another,
 * and 3 of CLINC150's 100 out-of-scope requests get an answer; 0.45 answers none of those but 9 points fewer FAQ
 * questions, 0.3 answers 5 points more and 11 out-of-scope requests.
 */
export const DEFAULT_ANSWER_THRESHOLD = 0.4;

export interface SelectAnswerOptions {
  /** Default `DEFAULT_ANSWER_THRESHOLD`. */
  threshold?: number;
  /** The customer's language: an answer in it is preferred to a better-scored one in another language. */
  language?: string | null;
}

/**
 * The hit to answer with: the first (hits come best first) whose normalised score reaches the threshold, in the
 * customer's language when one does, else in any language; null when none reaches it.
 */
export function selectAnswer<H extends KnowledgeHit>(hits: readonly H[], options: SelectAnswerOptions = {}): H | null {
  const threshold = options.threshold ?? DEFAULT_ANSWER_THRESHOLD;
  const good = hits.filter((hit) => hit.normalizedScore >= threshold);
  const primary = (code: string) => code.trim().toLowerCase().split(/[-_]/)[0];
  const language = options.language ? primary(options.language) : undefined;
  return (language ? good.find((hit) => primary(hit.article.language) === language) : undefined) ?? good[0] ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// The text of an answer
// ---------------------------------------------------------------------------------------------------------------

/** About what one chat bubble holds before a customer stops reading. */
export const DEFAULT_ANSWER_CHARS = 600;

/** Cuts at the last sentence end that keeps at least half the text, else at a space, and marks the cut. */
export function trimForChat(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars - 1);
  const sentenceEnds = [...head.matchAll(/[.!?。！？](?=\s|$)|[。！？]/g)].map((m) => (m.index ?? 0) + m[0].length);
  const sentenceEnd = sentenceEnds.at(-1);
  if (sentenceEnd !== undefined && sentenceEnd >= maxChars / 2) return `${head.slice(0, sentenceEnd).trimEnd()} …`;
  const space = head.lastIndexOf(' ');
  return `${(space >= maxChars / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/**
 * Comparable keys of a text: accent-folded lowercase words cut to five letters (a crude stem: "returns" and
 * "return" meet), bigrams for unspaced scripts; Latin words of three letters or fewer are mostly stop words.
 */
function keys(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of searchableWords(segmentUnspaced(foldLatinAccents(text).normalize('NFKC')))) {
    if (/^[a-z0-9]+$/.test(word)) {
      if (word.length > 3) out.add(word.slice(0, 5));
    } else {
      out.add(word);
    }
  }
  return out;
}

/** A line that reads as a section heading: short, alone, not a sentence. */
function isHeading(block: string): boolean {
  return !block.includes('\n') && block.length <= 80 && !/[.!?:;。！？：]$/.test(block) && !block.startsWith('- ');
}

/** The one or two paragraphs of `body` that share the most (rare) words with the question, in reading order. */
function relevantBlocks(body: string, question: string, maxChars: number): string {
  const blocks = body.split(/\n{2,}/).filter((b) => b.trim() !== '');
  if (blocks.length <= 1) return blocks[0] ?? '';
  const asked = keys(question);
  const blockKeys = blocks.map(keys);
  const df = new Map<string, number>();
  for (const set of blockKeys) for (const key of set) if (asked.has(key)) df.set(key, (df.get(key) ?? 0) + 1);
  const scores = blockKeys.map((set) => [...set].reduce((sum, key) => sum + (df.has(key) ? Math.log(1 + blocks.length / (df.get(key) ?? 1)) : 0), 0));
  const order = scores.map((score, i) => ({ score, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const best = order[0];
  if (!best || best.score === 0) return blocks.slice(0, 2).join('\n\n');
  const chosen = new Set([best.i]);
  const previous = blocks[best.i - 1];
  if (previous !== undefined && isHeading(previous)) chosen.add(best.i - 1);
  const second = order[1];
  const length = (set: Set<number>) => [...set].reduce((sum, i) => sum + (blocks[i]?.length ?? 0) + 2, 0);
  if (second && second.score >= best.score / 2 && length(new Set([...chosen, second.i])) <= maxChars) chosen.add(second.i);
  return [...chosen]
    .sort((a, b) => a - b)
    .map((i) => blocks[i])
    .join('\n\n');
}

export interface AnswerTextOptions {
  /** The customer's question: picks the paragraphs of a long article. */
  question?: string;
  /** Default `DEFAULT_ANSWER_CHARS`. */
  maxChars?: number;
}

/**
 * The reply a chat sends for an article, as plain text with links written out: a FAQ's answer; for an article,
 * its title and the paragraph(s) most about the question, trimmed to a chat-sized length.
 */
export function answerText(article: Pick<AnswerableArticle, 'kind' | 'title' | 'body'>, options: AnswerTextOptions = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_ANSWER_CHARS;
  const body = markdownToPlainText(article.body, { urls: true });
  switch (article.kind) {
    case 'faq':
      return trimForChat(body, maxChars);
    case 'article': {
      const title = markdownToPlainText(article.title);
      const room = Math.max(maxChars - title.length - 2, Math.floor(maxChars / 2));
      return `${title}\n\n${trimForChat(relevantBlocks(body, options.question ?? '', room), room)}`;
    }
    default: {
      const never: never = article.kind;
      throw new Error(`unknown article kind ${String(never)}`);
    }
  }
}
