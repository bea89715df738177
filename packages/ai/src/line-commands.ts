import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * The line-in / line-out commands (`signalbox langid`, `emotion`, `pii detect|mask`): one text per input line,
 * one answer per output line, in order, so the output pastes beside the input. An empty line is a line too.
 * Returns the number of lines read.
 */
export async function mapLines(input: Readable, output: Writable, answer: (line: string) => string | Promise<string>): Promise<number> {
  let lines = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lines += 1;
    if (!output.write(`${await answer(line)}\n`)) {
      await new Promise<void>((resolve) => output.once('drain', () => resolve()));
    }
  }
  return lines;
}

/** Written by `signalbox langid` for a line with no language in it (empty, emoji, digits): BCP 47's "undetermined". */
export const UNDETERMINED = 'und';
