import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('sends a lone call at once and batches the calls that arrive while others are in flight', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, number>(async (inputs) => {
      batches.push(inputs);
      await new Promise((r) => setTimeout(r, 20));
      return inputs.map((i) => i * 10);
    }, 100, 1);
    expect(await group.submit(1)).toBe(10);
    const results = await Promise.all([2, 3, 4, 5].map((i) => group.submit(i)));
    expect(results).toEqual([20, 30, 40, 50]);
    expect(batches[0]).toEqual([1]);
    expect(batches.slice(1).flat()).toEqual([2, 3, 4, 5]);
    expect(batches.length).toBeLessThanOrEqual(3);
  });

  it('rejects every caller of a failed batch, and goes on with the next', async () => {
    let fail = true;
    const group = new GroupCommit<number, number>(async (inputs) => {
      if (fail) {
        fail = false;
        throw new Error('db down');
      }
      return inputs;
    }, 100, 1);
    const first = group.submit(1);
    const second = group.submit(2);
    await expect(first).rejects.toThrow('db down');
    await expect(second).resolves.toBe(2);
  });
});
