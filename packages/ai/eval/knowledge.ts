// Knowledge-base retrieval judged on text the demo articles were not written to match: ABCD's agent guidelines
// (ASAPP, MIT). Every ABCD subflow has the demo article(s) written for its topic (TARGETS); each guideline sentence
// of a subflow is a query, and search should put that subflow's article first. Three query sets:
//   - `faqQuestions`: the customer questions the FAQ subflows list ("When does the annual sale begin?"), the
//     closest to what customers type;
//   - `problemStatements`: each subflow's first instruction, which states the customer's problem ("The customer
//     wants to upgrade to overnight shipping.");
//   - `guidelineSentences`: every sentence of every subflow (agent steps included: many name no topic at all).
// A sentence found in subflows with different articles (the "Pull up Account" boilerplate) identifies none and is
// left out; the report counts them. Out-of-scope requests from CLINC150 (`oos_val`) check the no-answer side.
// Measured on the real Postgres (TEST_DATABASE_URL, default 127.0.0.1:5432) in a fresh database, with each query
// mode, and latency per search (one round trip each).
// Run: npx tsx packages/ai/eval/knowledge.ts   (or npm run eval -- knowledge once run.ts lists it)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createPool, KnowledgeRepository, migrate, type KnowledgeSearchHit } from '@signalbox/db';
import { freshDatabase } from '@signalbox/db/testing';
// Not exported from @signalbox/db's index yet (the demo seed wires it in).
import { DEMO_KNOWLEDGE, seedDemoKnowledge } from '../../db/src/knowledge-demo.ts';
import { DEFAULT_ANSWER_THRESHOLD, KNOWLEDGE_QUERY_MODES, knowledgeText, selectAnswer, type KnowledgeQueryMode } from '../src/knowledge/index.ts';
import { printWhenRunDirectly } from './datasets.ts';

/** ABCD `flow > subflow` (as guidelines.json names them) -> the demo article titles written for that topic. */
const TARGETS: Record<string, readonly string[]> = {
  'Product Defect > Initiate Refund': ['How will I get my refund?'],
  'Product Defect > Update Refund': ['Can I add another item to a refund I already started?'],
  'Product Defect > Refund Status': ['How do I check the status of my refund?'],
  'Product Defect > Return Due to Stain': ['Returns and exchanges', 'What is your return policy?', 'How do I return an item?'],
  'Product Defect > Return Due to Color': ['Returns and exchanges', 'What is your return policy?', 'How do I return an item?'],
  'Product Defect > Return Due to Size': ['Returns and exchanges', 'What is your return policy?', 'How do I return an item?'],
  'Order Issue > Status Mystery Fee': ['Why is there an extra fee on my order?'],
  'Order Issue > Status Delivery Time': ['Can I change the delivery time of my order?'],
  'Order Issue > Status Payment Method': ['Can I change the payment method on my order?'],
  'Order Issue > Status Quantity': ['My order confirmation shows the wrong quantity'],
  'Order Issue > Manage Upgrade': ['Can I upgrade to overnight shipping?'],
  'Order Issue > Manage Downgrade': ['Can I choose slower delivery to save on shipping?'],
  'Order Issue > Manage Create': ['Can I add an item to an order I already placed?'],
  'Order Issue > Manage Cancel': ['I ordered two by mistake. Can I cancel one?'],
  'Account Access > Recover Username': ['I forgot my username'],
  'Account Access > Recover Password': ['How do I reset my password?'],
  'Account Access > Reset Two-Factor Auth': ['How do I reset two-factor authentication?'],
  'Troubleshoot Site > Invalid Credit Card': ['My credit card keeps getting declined'],
  'Troubleshoot Site > Cart Not Updating': ["Items won't stay in my shopping cart"],
  'Troubleshoot Site > Search Not Working': ['Search shows no results'],
  'Troubleshoot Site > Website Too Slow': ['The website is very slow'],
  'Manage Account > Status Service Added': ["There's a service on my account that I didn't add"],
  'Manage Account > Status Service Removed': ['A service was removed from my account'],
  'Manage Account > Status Shipping Question': ['Do you ship internationally?', 'Shipping options, times and costs'],
  'Manage Account > Status Credit Missing': ['Credit is missing from my account'],
  'Manage Account > Manage Change Address': ['How do I change my address?'],
  'Manage Account > Manage Change Name': ['How do I change the name on my account?'],
  'Manage Account > Manage Change Phone': ['How do I change my phone number?'],
  'Manage Account > Manage Payment Method': ['How do I update the payment method on my account?'],
  'Purchase Dispute > Bad Price Competitor': ['Do you match prices?'],
  'Purchase Dispute > Bad Price Yesterday': ['Do you match prices?'],
  'Purchase Dispute > Out-of-Stock General': ['The item I want is out of stock'],
  'Purchase Dispute > Out-of-Stock One Item': ['The item I want is out of stock'],
  'Purchase Dispute > Promo Code Invalid': ["My promo code doesn't work", 'When do promo codes expire?'],
  'Purchase Dispute > Promo Code Out of Date': ["My promo code doesn't work", 'When do promo codes expire?'],
  'Purchase Dispute > Mistimed Billing Already Returned': ["I returned an item but haven't received my money"],
  'Purchase Dispute > Mistimed Billing Never Bought': ['I was charged for an order I never placed'],
  'Shipping Issue > Shipping Status': ['What does the status of my order mean?'],
  'Shipping Issue > Manage Shipping': ['Can I change my order or its address after it shipped?'],
  'Shipping Issue > Missing Item': ["My package says delivered but I haven't received it"],
  'Shipping Issue > Shipping Cost': ['How much does shipping cost?', 'Shipping options, times and costs'],
  'Subscription Inquiry > Status Active': ['Is my subscription still active?'],
  'Subscription Inquiry > Status Due Amount': ['How much do I owe for my subscription, and when is it due?'],
  'Subscription Inquiry > Status Due Date': ['How much do I owe for my subscription, and when is it due?'],
  'Subscription Inquiry > Manage Pay Bill': ['How do I pay or renew my subscription?'],
  'Subscription Inquiry > Manage Extension': ['Can I get more time to pay my subscription?'],
  'Subscription Inquiry > Manage Dispute Bill': ['I was charged twice for my subscription'],
  'Single-Item Query > Boots FAQ': ['Boots: fit, care and warranty'],
  'Single-Item Query > Shirt FAQ': ['Shirts: sizing, care and materials'],
  'Single-Item Query > Jeans FAQ': ['Jeans: fit, care and tailoring'],
  'Single-Item Query > Jacket FAQ': ['Jackets: warmth, care and the hood'],
  'Storewide Query > Pricing FAQ': ['Extra services and their prices', 'How much does shipping cost?', 'Can I upgrade to overnight shipping?', 'Shipping options, times and costs'],
  'Storewide Query > Membership FAQ': ['Membership levels and benefits', 'What is the Premium subscription?'],
  'Storewide Query > Timing FAQ': ['Store hours, sales and new collections', 'When do promo codes expire?'],
  'Storewide Query > Policy FAQ': [
    'What is your return policy?',
    'Returns and exchanges',
    'How will I get my refund?',
    'How do I cancel my subscription?',
    'Can I get more time to pay my subscription?',
  ],
};

/** The ABCD subflows whose second instruction lists the customer questions they answer. */
const FAQ_FLOWS = new Set(['Single-Item Query', 'Storewide Query']);

interface Guidelines {
  [flow: string]: {
    subflows: Record<string, { instructions: string[]; actions: { text: string; subtext: string[] }[] }>;
  };
}

export interface Query {
  text: string;
  subflow: string;
  targets: readonly string[];
}

export interface RetrievalScore {
  queries: number;
  hitAt1: number;
  hitAt3: number;
  /** Mean reciprocal rank of the first target article in the top 10 (0 when it is not there). */
  mrr: number;
  /** Queries for which search found nothing at all. */
  noHits: number;
}

export interface AnswerRates {
  threshold: number;
  /** FAQ questions answered with their subflow's article. */
  faqAnsweredRight: number;
  /** FAQ questions answered with another article. */
  faqAnsweredWrong: number;
  /** Problem statements answered with their subflow's article. */
  problemsAnsweredRight: number;
  /** Out-of-scope requests (CLINC150 oos_val) that got an answer: lower is better. */
  outOfScopeAnswered: number;
}

type QuerySet = 'faqQuestions' | 'problemStatements' | 'guidelineSentences';

export interface KnowledgeReport {
  dataset: string;
  articles: number;
  subflowsCovered: number;
  leftOutAsAmbiguous: number;
  /** Per query set, per query mode. */
  retrieval: Record<QuerySet, Record<KnowledgeQueryMode, RetrievalScore>>;
  /**
   * The same `any` hits ordered by ts_rank_cd alone instead of the normalised score (within the ten the statement
   * returned): what the ordering choice is worth.
   */
  rankedByTsRankCd: Record<QuerySet, RetrievalScore>;
  /** At several thresholds with the default mode; `selected` is the product's default. */
  answering: { selected: AnswerRates; curve: AnswerRates[] };
  outOfScopeQueries: number;
  /** Per search (one statement, one round trip), one at a time, by query mode. */
  latencyMs: Record<KnowledgeQueryMode, { p50: number; p99: number; mean: number; searches: number }>;
  misses: { set: string; query: string; expected: string; got: string | null }[];
}

const normalized = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The query sets, from guidelines.json, with the sentences that name no single topic left out. */
export function abcdQueries(guidelines: Guidelines): { faqQuestions: Query[]; problemStatements: Query[]; guidelineSentences: Query[]; leftOut: number } {
  const sentences = new Map<string, { text: string; targets: Set<string>; subflow: string }>();
  const problemStatements: Query[] = [];
  const faqQuestions: Query[] = [];
  const targetKey = (targets: readonly string[]) => [...targets].sort().join('|');
  for (const [flow, { subflows }] of Object.entries(guidelines)) {
    for (const [name, subflow] of Object.entries(subflows)) {
      const key = `${flow} > ${name}`;
      const targets = TARGETS[key];
      if (!targets) throw new Error(`no demo article is mapped to ABCD subflow "${key}"`);
      const texts = [...subflow.instructions, ...subflow.actions.flatMap((a) => [a.text, ...a.subtext])];
      for (const text of texts) {
        const id = normalized(text);
        if (id === '') continue;
        const seen = sentences.get(id) ?? { text, targets: new Set<string>(), subflow: key };
        seen.targets.add(targetKey(targets));
        sentences.set(id, seen);
      }
      const [first, second] = subflow.instructions;
      if (FAQ_FLOWS.has(flow)) {
        for (const question of (second ?? '').split(/\?,\s*|,\s+/)) {
          if (question.trim() !== '') faqQuestions.push({ text: question.trim(), subflow: key, targets });
        }
      } else if (first && !problemStatements.some((q) => q.text === first)) {
        problemStatements.push({ text: first, subflow: key, targets });
      }
    }
  }
  const guidelineSentences: Query[] = [];
  let leftOut = 0;
  for (const { text, targets, subflow } of sentences.values()) {
    if (targets.size > 1) {
      leftOut++;
      continue;
    }
    guidelineSentences.push({ text, subflow, targets: TARGETS[subflow] ?? [] });
  }
  // A problem statement shared with another subflow ("In all three cases for return, …") names no topic either,
  // nor does a FAQ question two products list ("shrink after washing": jeans and jackets).
  const unambiguous = new Set(guidelineSentences.map((q) => normalized(q.text)));
  const questionTargets = new Map<string, Set<string>>();
  for (const q of faqQuestions) questionTargets.set(normalized(q.text), (questionTargets.get(normalized(q.text)) ?? new Set()).add(targetKey(q.targets)));
  const single = faqQuestions.filter((q) => questionTargets.get(normalized(q.text))?.size === 1);
  leftOut += faqQuestions.length - single.length;
  return { faqQuestions: single, problemStatements: problemStatements.filter((q) => unambiguous.has(normalized(q.text))), guidelineSentences, leftOut };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const round = (value: number, digits = 4): number => Number(value.toFixed(digits));

export async function evaluateKnowledge(datasets: string): Promise<KnowledgeReport> {
  const guidelines = JSON.parse(await readFile(path.join(datasets, 'abcd', 'guidelines.json'), 'utf8')) as Guidelines;
  const clinc = JSON.parse(await readFile(path.join(datasets, 'intents', 'clinc150', 'val.json'), 'utf8')) as { oos_val: [string, string][] };
  const outOfScope = clinc.oos_val.map(([text]) => text);
  const sets = abcdQueries(guidelines);
  const titles = new Set(DEMO_KNOWLEDGE.map((a) => a.title));
  for (const [subflow, targets] of Object.entries(TARGETS)) {
    for (const title of targets) if (!titles.has(title)) throw new Error(`${subflow}: no demo article is titled "${title}"`);
  }

  const database = await freshDatabase('sbx_kb_eval');
  // As the runner opens it on Postgres: hot statements prepared once per connection.
  const pool = createPool(database.url, 4, { prepared: true });
  try {
    await migrate(pool);
    await pool.query(`INSERT INTO workspace (id, name) VALUES ('eval', 'Knowledge eval')`);
    const articles = await seedDemoKnowledge(pool, 'eval', knowledgeText);
    const knowledge = new KnowledgeRepository(pool, knowledgeText);
    const latencies: Record<KnowledgeQueryMode, number[]> = { any: [], plain: [], websearch: [] };
    const search = async (text: string, mode: KnowledgeQueryMode): Promise<KnowledgeSearchHit[]> => {
      const started = performance.now();
      const hits = await knowledge.search('eval', { text, language: 'en', limit: 10, mode });
      latencies[mode].push(performance.now() - started);
      return hits;
    };
    const misses: KnowledgeReport['misses'] = [];

    const metrics = (queries: readonly Query[], results: readonly KnowledgeSearchHit[][], onMiss?: (query: Query, hits: KnowledgeSearchHit[]) => void): RetrievalScore => {
      let hitAt1 = 0;
      let hitAt3 = 0;
      let reciprocal = 0;
      let noHits = 0;
      for (const [i, query] of queries.entries()) {
        const hits = results[i] ?? [];
        if (hits.length === 0) noHits++;
        const rank = hits.findIndex((h) => query.targets.includes(h.article.title));
        if (rank === 0) hitAt1++;
        if (rank >= 0 && rank < 3) hitAt3++;
        if (rank >= 0) reciprocal += 1 / (rank + 1);
        if (rank !== 0) onMiss?.(query, hits);
      }
      const n = Math.max(queries.length, 1);
      return { queries: queries.length, hitAt1: round(hitAt1 / n), hitAt3: round(hitAt3 / n), mrr: round(reciprocal / n), noHits };
    };

    const retrieval = {} as KnowledgeReport['retrieval'];
    const rankedByTsRankCd = {} as KnowledgeReport['rankedByTsRankCd'];
    for (const name of ['faqQuestions', 'problemStatements', 'guidelineSentences'] as const) {
      const byMode = {} as Record<KnowledgeQueryMode, RetrievalScore>;
      for (const mode of KNOWLEDGE_QUERY_MODES) {
        const results: KnowledgeSearchHit[][] = [];
        for (const query of sets[name]) results.push(await search(query.text, mode));
        const onMiss =
          mode === 'any' && name !== 'guidelineSentences'
            ? (query: Query, hits: KnowledgeSearchHit[]) => misses.push({ set: name, query: query.text, expected: query.targets[0] ?? '', got: hits[0]?.article.title ?? null })
            : undefined;
        byMode[mode] = metrics(sets[name], results, onMiss);
        if (mode === 'any') rankedByTsRankCd[name] = metrics(sets[name], results.map((hits) => [...hits].sort((a, b) => b.score - a.score)));
      }
      retrieval[name] = byMode;
    }

    // The answering side: top hits once per query, then every threshold on the same hits. One search at a time,
    // so the latencies are a search's own, not a queue's.
    const hitsOf = async (queries: readonly string[]) => {
      const all: KnowledgeSearchHit[][] = [];
      for (const query of queries) all.push(await search(query, 'any'));
      return all;
    };
    const faqHits = await hitsOf(sets.faqQuestions.map((q) => q.text));
    const problemHits = await hitsOf(sets.problemStatements.map((q) => q.text));
    const oosHits = await hitsOf(outOfScope);
    const rates = (threshold: number): AnswerRates => {
      const answered = (hits: KnowledgeSearchHit[]) => selectAnswer(hits, { threshold, language: 'en' });
      const right = (queries: readonly Query[], all: KnowledgeSearchHit[][]) =>
        all.filter((hits, i) => {
          const answer = answered(hits);
          return answer !== null && (queries[i]?.targets ?? []).includes(answer.article.title);
        }).length / Math.max(all.length, 1);
      const faqAnswered = faqHits.filter((hits) => answered(hits) !== null).length / Math.max(faqHits.length, 1);
      const faqRight = right(sets.faqQuestions, faqHits);
      return {
        threshold,
        faqAnsweredRight: round(faqRight),
        faqAnsweredWrong: round(faqAnswered - faqRight),
        problemsAnsweredRight: round(right(sets.problemStatements, problemHits)),
        outOfScopeAnswered: round(oosHits.filter((hits) => answered(hits) !== null).length / Math.max(oosHits.length, 1)),
      };
    };
    const curve = [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7].map(rates);

    const latency = (samples: readonly number[]) => {
      const sorted = [...samples].sort((a, b) => a - b);
      return {
        p50: round(percentile(sorted, 50), 3),
        p99: round(percentile(sorted, 99), 3),
        mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(sorted.length, 1), 3),
        searches: sorted.length,
      };
    };
    return {
      dataset: 'ABCD guidelines.json (ASAPP, MIT); CLINC150 oos_val (CC BY 3.0)',
      articles,
      subflowsCovered: Object.keys(TARGETS).length,
      leftOutAsAmbiguous: sets.leftOut,
      retrieval,
      rankedByTsRankCd,
      answering: { selected: rates(DEFAULT_ANSWER_THRESHOLD), curve },
      outOfScopeQueries: outOfScope.length,
      latencyMs: { any: latency(latencies.any), plain: latency(latencies.plain), websearch: latency(latencies.websearch) },
      misses,
    };
  } finally {
    await pool.end();
    await database.drop();
  }
}

printWhenRunDirectly(import.meta.url, evaluateKnowledge);
