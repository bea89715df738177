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

  it('with keys, runs batches of other keys side by side and keeps each key in order behind its batch in flight', async () => {
    const batches: string[][] = [];
    const release: (() => void)[] = [];
    const group = new GroupCommit<string, string>(
      async (inputs) => {
        batches.push(inputs);
        await new Promise<void>((r) => release.push(r));
        return inputs;
      },
      100,
      3,
      (input) => input.split(':')[0] ?? '',
    );
    const a1 = group.submit('a:1');
    // a:1 is in flight: b and c go alongside it, a:2 waits, and so does everything of a after it.
    const rest = ['a:2', 'b:1', 'a:3', 'c:1'].map((i) => group.submit(i));
    await new Promise((r) => setTimeout(r, 0));
    expect(batches).toEqual([['a:1'], ['b:1'], ['c:1']]);
    release.shift()?.();
    await a1;
    await new Promise((r) => setTimeout(r, 0));
    expect(batches[3]).toEqual(['a:2', 'a:3']);
    while (release.length > 0) release.shift()?.();
    expect(await Promise.all(rest)).toEqual(['a:2', 'b:1', 'a:3', 'c:1']);
  });
});
