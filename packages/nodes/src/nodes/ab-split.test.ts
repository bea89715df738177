import { describe, expect, it } from 'vitest';
import { flow, message, runOnce } from '../interpreter/testing.ts';

type Variant = { id: string; weight: number };

function splitFlow(variants: Variant[], nodeId = 'split') {
  return flow(
    { start: { type: 'start' }, [nodeId]: { type: 'ab-split', data: { variants: variants.map((v) => ({ ...v, label: v.id.toUpperCase() })) } } },
    [`start -> ${nodeId}`],
  );
}

/** Contact ids are UUIDs; a seeded generator makes the same ones every run. */
function uuids(count: number, seed = 42): string[] {
  let s = seed >>> 0;
  const byte = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 24).toString(16).padStart(2, '0');
  };
  return Array.from({ length: count }, () => {
    const hex = Array.from({ length: 16 }, byte).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  });
}

async function variantOf(doc: ReturnType<typeof splitFlow>, contactId: string, nodeId = 'split') {
  const result = await runOnce(doc, message('hi'), { contact: { id: contactId } });
  return result.trace.find((t) => t.nodeId === nodeId)?.port;
}

async function shares(variants: Variant[], contactIds: string[]) {
  const doc = splitFlow(variants);
  const counts: Record<string, number> = Object.fromEntries(variants.map((v) => [v.id, 0]));
  for (const id of contactIds) {
    const port = await variantOf(doc, id);
    if (port === undefined) throw new Error('the split took no port');
    counts[port] = (counts[port] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / contactIds.length]));
}

describe('A/B split', () => {
  const contacts = uuids(5000);

  it('sends contacts to variants in proportion to their weights (70/30 within 3 points over 5000 contacts)', async () => {
    const result = await shares([{ id: 'a', weight: 70 }, { id: 'b', weight: 30 }], contacts);
    expect(result.a).toBeGreaterThan(0.67);
    expect(result.a).toBeLessThan(0.73);
    expect((result.a ?? 0) + (result.b ?? 0)).toBe(1);
  });

  it('respects three uneven weights that do not add up to 100', async () => {
    const result = await shares([{ id: 'a', weight: 1 }, { id: 'b', weight: 2 }, { id: 'c', weight: 5 }], contacts);
    for (const [id, expected] of [['a', 1 / 8], ['b', 2 / 8], ['c', 5 / 8]] as const) {
      expect(Math.abs((result[id] ?? 0) - expected), `share of ${id}`).toBeLessThan(0.03);
    }
  });

  it('never chooses a variant of weight 0, wherever it stands', async () => {
    const result = await shares([{ id: 'off', weight: 0 }, { id: 'a', weight: 1 }, { id: 'mid', weight: 0 }, { id: 'b', weight: 1 }, { id: 'last', weight: 0 }], contacts.slice(0, 2000));
    expect(result).toMatchObject({ off: 0, mid: 0, last: 0 });
    expect(result.a).toBeGreaterThan(0.45);
    expect(result.b).toBeGreaterThan(0.45);
  });

  it('gives a contact the same variant every time, whatever the random source says', async () => {
    const doc = splitFlow([{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }]);
    for (const id of contacts.slice(0, 50)) {
      const first = await runOnce(doc, message('hi'), { contact: { id }, random: () => 0.01 });
      const again = await runOnce(doc, message('something else'), { contact: { id }, random: () => 0.99 });
      expect(again.trace[1]?.port).toBe(first.trace[1]?.port);
    }
  });

  it('splits independently at two split nodes: a contact is not always "a" at both', async () => {
    const one = splitFlow([{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], 'split-1');
    const two = splitFlow([{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], 'split-2');
    let same = 0;
    const sample = contacts.slice(0, 1000);
    for (const id of sample) if ((await variantOf(one, id, 'split-1')) === (await variantOf(two, id, 'split-2'))) same += 1;
    expect(same / sample.length).toBeGreaterThan(0.4);
    expect(same / sample.length).toBeLessThan(0.6);
  });
});
