import { CsvError, parse } from 'csv-parse/sync';
import type { Intent } from './schema.ts';

export interface LabelledPhrase {
  readonly text: string;
  readonly intent: string;
}

export interface CsvProblem {
  /** 1-based line of the file where the row ends (the header is line 1); absent for the file as a whole. */
  readonly row?: number;
  readonly column?: string;
  readonly message: string;
}

export type IntentCsvResult = { ok: true; phrases: LabelledPhrase[] } | { ok: false; errors: CsvProblem[] };

const LABEL_COLUMNS = ['intent', 'category'] as const;

/**
 * Reads training or test phrases from CSV with a header naming a `text` column and an `intent` (or `category`)
 * column; other columns are ignored. Every bad row is reported with its line and column, not just the first.
 */
export function parseIntentCsv(csv: string): IntentCsvResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse's typings do not model `info: true`, which wraps each record with where it ended in the file.
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      return { ok: false, errors: [{ ...(line !== undefined ? { row: line } : {}), message: error.message }] };
    }
    throw error;
  }
  const header = records[0]?.record;
  if (!header) return { ok: false, errors: [{ message: 'the file is empty; expected a header with columns text and intent' }] };
  const names = header.map((h) => h.trim().toLowerCase());
  const textIndex = names.indexOf('text');
  const labelName = LABEL_COLUMNS.find((c) => names.includes(c));
  const errors: CsvProblem[] = [];
  if (textIndex < 0) errors.push({ row: 1, column: 'text', message: `the header has no "text" column (found: ${names.join(', ')})` });
  if (!labelName) errors.push({ row: 1, column: 'intent', message: `the header has no "intent" or "category" column (found: ${names.join(', ')})` });
  if (errors.length > 0 || !labelName) return { ok: false, errors };
  const labelIndex = names.indexOf(labelName);

  const phrases: LabelledPhrase[] = [];
  records.slice(1).forEach(({ record, info }) => {
    const row = info.lines;
    const text = record[textIndex]?.trim() ?? '';
    const intent = record[labelIndex]?.trim() ?? '';
    if (text === '') errors.push({ row, column: 'text', message: `row ${row}: column "text" is empty` });
    if (intent === '') errors.push({ row, column: labelName, message: `row ${row}: column "${labelName}" is empty` });
    if (text !== '' && intent !== '') phrases.push({ text, intent });
  });
  if (errors.length > 0) return { ok: false, errors };
  if (phrases.length === 0) return { ok: false, errors: [{ message: 'the file has a header but no rows' }] };
  return { ok: true, phrases };
}

/** Groups labelled phrases into intents, in order of first appearance. */
export function intentsFromPhrases(phrases: readonly LabelledPhrase[]): Intent[] {
  const byName = new Map<string, string[]>();
  for (const { text, intent } of phrases) {
    const list = byName.get(intent) ?? [];
    list.push(text);
    byName.set(intent, list);
  }
  return [...byName].map(([name, list]) => ({ name, phrases: list }));
}
