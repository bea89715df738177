// `npm run eval`: every language feature judged on the public datasets in ../shared/datasets (never on sentences
// written to pass), one section after the other. Prints a summary per feature as it finishes, then the whole
// report as JSON (also written to .signalbox/eval.json, for comparing runs).
// Run one section: npm run eval -- langid pii (names: intents emotion langid pii translation knowledge).
// The knowledge section needs PostgreSQL (127.0.0.1:5432, or TEST_DATABASE_URL).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS } from './datasets.ts';
import type { EmotionReport } from './emotion.ts';
import type { IntentsReport } from './intents.ts';
import type { KnowledgeReport } from './knowledge.ts';
import type { LangidReport } from './langid.ts';
import type { PiiReport } from './pii.ts';
import type { TranslationReport } from './translation.ts';

type Section = { name: string; run: (datasets: string) => Promise<unknown>; summary: (report: never) => string[] };

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const ms = (value: number) => `${value.toFixed(3)} ms`;

const sections: Section[] = [
  {
    name: 'intents',
    run: async (datasets) => (await import('./intents.ts')).evaluateIntents(datasets),
    summary: (r: IntentsReport) => [
      `Banking77, ${r.banking77.folds}-fold cross-validation: accuracy ${pct(r.banking77.accuracy)} (target 92%), macro-F1 ${r.banking77.macroF1.toFixed(3)}, ${r.banking77.trainSecondsPerFold.toFixed(1)} s training per fold (${r.banking77.encoder ?? 'n-grams alone'})`,
      `CLINC150 val (${r.clinc150.encoder ?? 'n-grams alone'}): in-scope accuracy ${pct(r.clinc150.inScopeAccuracy)} (target 93%); at the shipped threshold ${r.clinc150.threshold}: in-scope ${pct(r.clinc150.atThreshold.inScopeAccuracy)} (target 90%), out-of-scope recall ${pct(r.clinc150.atThreshold.outOfScopeRecall)} (target 85%)`,
      `  trade-off: ${r.clinc150.tradeOff.map((t) => `${t.threshold}: ${pct(t.inScopeAccuracy)}/${pct(t.outOfScopeRecall)}`).join(', ')}`,
      `xSID (${r.xsid.protocol}): mean accuracy ${pct(r.xsid.meanAccuracy)} over ${Object.keys(r.xsid.languages).length} languages`,
      `default e-commerce intents: ${r.defaultIntents.phrases} phrases, trained in ${r.defaultIntents.trainSeconds.toFixed(2)} s`,
      `  CLINC150 val greetings, goodbyes and thanks (${r.defaultIntents.smallTalk.messages}): small_talk ${r.defaultIntents.smallTalk.asSmallTalk}, a business intent ${r.defaultIntents.smallTalk.asBusinessIntent} (complaint ${r.defaultIntents.smallTalk.asComplaint}), not sure the rest`,
      ...(['with', 'without'] as const).map((k) => {
        const o = r.defaultIntents.offTopic[k];
        return `  ${k} off_topic: turned away CLINC150 val out-of-scope ${pct(o.clincOutOfScopeTurnedAway)}, xSID val ${pct(o.xsidTurnedAway.mean)} (lowest ${o.xsidTurnedAway.lowest.language} ${pct(o.xsidTurnedAway.lowest.share)}); held-out phrasings of the other intents right ${o.heldOutRightAndKept.right}/${o.heldOutRightAndKept.of}`;
      }),
      `latency per classification (${r.latencyMs.model}): p50 ${ms(r.latencyMs.p50)}, p99 ${ms(r.latencyMs.p99)} (target 5 ms)`,
    ],
  },
  {
    name: 'emotion',
    run: async (datasets) => (await import('./emotion.ts')).evaluateEmotion(datasets),
    summary: (r: EmotionReport) => [
      `emotion on the GoEmotions dev split (${r.items} comments, 7 classes): macro-F1 ${r.macroF1.toFixed(3)} (target ${r.target}: ${r.meetsTarget ? 'met' : 'NOT met'}); strict (every gold label) ${r.macroF1Strict.toFixed(3)}`,
      `  per class F1: ${Object.entries(r.perClass).map(([label, s]) => `${label} ${s.f1.toFixed(2)}`).join(', ')}`,
      `  shipped model ${(r.modelBytes / 1024 / 1024).toFixed(2)} MB; latency per call p50 ${ms(r.latencyMs.p50)}, p99 ${ms(r.latencyMs.p99)}`,
    ],
  },
  {
    name: 'langid',
    run: async (datasets) => (await import('./langid.ts')).evaluateLangid(datasets),
    summary: (r: LangidReport) => [
      `language id on two-word snippets: ${pct(r.average)} averaged over ${r.languages.length} supported languages (target ${pct(r.target)}: ${r.meetsTarget ? 'met' : 'NOT met'}); ${pct(r.averageOverRequired)} over the 28 the issue names`,
      `  Indonesian ${pct(r.indonesianMalay.id.accuracy)}, Malay ${pct(r.indonesianMalay.ms.accuracy)} (with the contact's country as a hint: ${pct(r.indonesianMalay.withCountryPreference.id)} / ${pct(r.indonesianMalay.withCountryPreference.ms)})`,
      `  latency per call p50 ${ms(r.latencyMs.p50)}, p99 ${ms(r.latencyMs.p99)} (model load ${Math.round(r.latencyMs.load)} ms)`,
    ],
  },
  {
    name: 'pii',
    run: async (datasets) => (await import('./pii.ts')).evaluatePii(datasets),
    summary: (r: PiiReport) => [
      `PII on the presidio dev set (${r.items} items): ${r.meetsTarget ? 'target met' : 'target NOT met'}`,
      ...Object.entries(r.entities).map(([type, score]) => `  ${type}: recall ${pct(score.recall)}, precision ${pct(score.precision)} (${score.gold} gold)`),
      `  false detections in ${r.piiFreeChat.messages} chat messages without personal data: ${Object.values(r.piiFreeChat.detections).reduce((a, b) => a + b, 0)}`,
      `  latency per call p50 ${ms(r.latencyMs.p50)}, p99 ${ms(r.latencyMs.p99)}`,
    ],
  },
  {
    name: 'translation',
    run: async (datasets) => (await import('./translation.ts')).evaluateTranslation(datasets),
    summary: (r: TranslationReport) => [
      `translation plumbing on ${r.messages} Banking77 messages through local fakes of each provider:`,
      ...r.providers.map((p) => `  ${p.provider}: glossary kept ${pct(p.glossary.keptRate)} (${pct(p.glossaryWhenMarkupIsLost.keptRate)} when the markup is lost), p50 ${ms(p.latencyMs.p50)}, p99 ${ms(p.latencyMs.p99)}`),
      `  without a glossary: ${pct(r.withoutGlossary.keptRate)} kept (the measure can fail)`,
    ],
  },
  {
    name: 'knowledge',
    run: async (datasets) => (await import('./knowledge.ts')).evaluateKnowledge(datasets),
    summary: (r: KnowledgeReport) => [
      `knowledge base (${r.articles} demo articles, ${r.subflowsCovered} ABCD subflows, on PostgreSQL): hit@1 / hit@3 / MRR`,
      ...(['faqQuestions', 'problemStatements', 'guidelineSentences'] as const).map((set) => {
        const any = r.retrieval[set].any;
        return `  ${set} (${any.queries}): ${pct(any.hitAt1)} / ${pct(any.hitAt3)} / ${any.mrr.toFixed(3)}`;
      }),
      `  at threshold ${r.answering.selected.threshold}: FAQ questions answered right ${pct(r.answering.selected.faqAnsweredRight)}, wrong ${pct(r.answering.selected.faqAnsweredWrong)}; out-of-scope requests answered ${pct(r.answering.selected.outOfScopeAnswered)}`,
      `  latency per search p50 ${ms(r.latencyMs.any.p50)}, p99 ${ms(r.latencyMs.any.p99)}`,
    ],
  },
];

const here = path.dirname(fileURLToPath(import.meta.url));
const datasets = DATASETS;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !sections.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(', ')}; choose from ${sections.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const report: Record<string, unknown> = { datasets, at: new Date().toISOString() };
for (const section of sections.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  const started = performance.now();
  const result = await section.run(datasets);
  report[section.name] = result;
  console.log(`\n== ${section.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  for (const line of section.summary(result as never)) console.log(line);
}
const out = path.resolve(here, '../../../.signalbox/eval.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nfull report: ${out}`);
