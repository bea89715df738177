import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.ts';

const ssns = (text: string): string[] => detectPii(text, { types: ['us_ssn'] }).map((span) => span.text);

describe('US social security number detection', () => {
  it('finds the dashed form anywhere and the plain form after an SSN word', () => {
    expect(ssns("Here's my SSN: 460-89-9847")).toEqual(['460-89-9847']);
    expect(ssns('number 853-37-1694 on file')).toEqual(['853-37-1694']);
    expect(ssns('social security number 853371694')).toEqual(['853371694']);
    expect(ssns('order 853371694')).toEqual([]);
  });

  it('rejects numbers the SSA never issues', () => {
    expect(ssns('000-12-3456 666-12-3456 912-12-3456 123-00-4567 123-45-0000')).toEqual([]);
  });
});
