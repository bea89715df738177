import { detectPii } from './detect.ts';
import { maskPii } from './mask.ts';
import type { PiiMaskOptions } from './types.ts';

export const PII_LINE_COMMANDS = ['detect', 'mask'] as const;
export type PiiLineCommand = (typeof PII_LINE_COMMANDS)[number];

/**
 * One output line per input line for `signalbox pii detect|mask`: `detect` prints a JSON array
 * of `{ type, start, end }` (the matched text is left out so the output can be shared without
 * repeating the personal data), `mask` prints the masked line.
 */
export function piiLine(command: PiiLineCommand, line: string, options: PiiMaskOptions = {}): string {
  switch (command) {
    case 'detect':
      return JSON.stringify(detectPii(line, options).map(({ type, start, end }) => ({ type, start, end })));
    case 'mask':
      return maskPii(line, options);
    default: {
      const unknown: never = command;
      throw new Error(`unknown pii command ${String(unknown)}`);
    }
  }
}
