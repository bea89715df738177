import { describe, expect, it } from 'vitest';
import { createLogger } from './logging.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, log };
}

describe('logs', () => {
  it("mask a customer's email, phone and card in fields (nested too) and in the message", () => {
    const { lines, log } = capture();
    log.info({ from: 'ana@example.com', event: { text: 'call me on +44 20 7946 0958, card 4111 1111 1111 1111' } }, 'message from %s', 'ana@example.com');
    expect(lines[0]).toMatchObject({ from: '[EMAIL]', event: { text: 'call me on [PHONE], card [CARD]' }, msg: 'message from [EMAIL]' });
  });

  it('keep addresses operators need, and fields that hold no personal data', () => {
    const { lines, log } = capture();
    log.info({ url: 'http://127.0.0.1:3001', channelId: '6f1c2a9e-3b7d-4d2a-9c1e-8a7b6c5d4e3f', attempts: 3 }, 'listening');
    expect(lines[0]).toMatchObject({ url: 'http://127.0.0.1:3001', channelId: '6f1c2a9e-3b7d-4d2a-9c1e-8a7b6c5d4e3f', attempts: 3, msg: 'listening' });
  });
});
