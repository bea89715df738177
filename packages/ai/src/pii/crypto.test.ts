import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.ts';

const addresses = (text: string): string[] => detectPii(text, { types: ['crypto'] }).map((span) => span.text);

describe('bitcoin address detection', () => {
  it('finds legacy, script and bech32 addresses', () => {
    expect(
      addresses('pay 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 or 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'),
    ).toEqual([
      '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
      '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    ]);
  });

  it('rejects a changed character (checksum) and look-alike strings', () => {
    expect(addresses('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3 and bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr')).toEqual([]);
    expect(addresses('the token 1aaaaaaaaaaaaaaaaaaaaaaaaaaaa is not an address')).toEqual([]);
  });
});
