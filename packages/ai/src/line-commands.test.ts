import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mapLines } from './line-commands.ts';

async function run(input: string, answer: (line: string) => string | Promise<string>): Promise<{ output: string; lines: number }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough({ highWaterMark: 4 });
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  stdin.end(input);
  const lines = await mapLines(stdin, stdout, answer);
  return { output: Buffer.concat(chunks).toString('utf8'), lines };
}

describe('mapLines', () => {
  it('answers every line in order, CRLF or LF, an empty line included, a last line without a newline too', async () => {
    const { output, lines } = await run('hola amigo\r\n\nhello there', (line) => `<${line}>`);
    expect(output).toBe('<hola amigo>\n<>\n<hello there>\n');
    expect(lines).toBe(3);
  });

  it('keeps the order when answers take different times, and waits for a slow reader', async () => {
    const input = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const { output } = await run(input, async (line) => {
      await new Promise((resolve) => setTimeout(resolve, Number(line.split(' ')[1]) % 3));
      return line.toUpperCase();
    });
    expect(output.trim().split('\n')).toEqual(Array.from({ length: 50 }, (_, i) => `LINE ${i}`));
  });
});
