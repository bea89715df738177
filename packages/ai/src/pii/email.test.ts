import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.ts';

const emails = (text: string): string[] => detectPii(text, { types: ['email'] }).map((span) => span.text);

describe('email detection', () => {
  it('finds addresses with tags, subdomains and country TLDs, without the sentence period', () => {
    expect(emails('Write to jane.doe+orders@mail.example.co.uk.')).toEqual(['jane.doe+orders@mail.example.co.uk']);
    expect(emails('You said your email is EwanDawson@dayrep.com. Is that correct?')).toEqual(['EwanDawson@dayrep.com']);
  });

  it('accepts internationalised local parts and stops at CJK text around the address', () => {
    expect(emails('Mail: jürgen.müller@beispiel.de bitte')).toEqual(['jürgen.müller@beispiel.de']);
    expect(emails('我的邮箱是bob@example.com谢谢')).toEqual(['bob@example.com']);
  });

  it('rejects what only looks like an address', () => {
    expect(emails('ping @support or bob@localhost or a..b@example.com or user@example')).toEqual([]);
    expect(emails('bob@example.c0m')).toEqual([]);
  });
});
