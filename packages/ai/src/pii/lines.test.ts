import { describe, expect, it } from 'vitest';
import { piiLine } from './lines.ts';

describe('piiLine (signalbox pii detect|mask)', () => {
  it('prints spans as a JSON array of type, start and end without the matched text', () => {
    const line = 'mail bob@example.com or call +44 20 7946 0958';
    const spans: unknown = JSON.parse(piiLine('detect', line));
    expect(spans).toEqual([
      { type: 'email', start: 5, end: 20 },
      { type: 'phone', start: 29, end: 45 },
    ]);
    expect(piiLine('detect', 'nothing here')).toBe('[]');
  });

  it('prints the masked line', () => {
    expect(piiLine('mask', 'mail bob@example.com please')).toBe('mail [EMAIL] please');
  });
});
