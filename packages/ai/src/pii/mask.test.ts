import { describe, expect, it } from 'vitest';
import { maskPii, maskPiiDeep } from './mask.ts';

describe('maskPii', () => {
  it('puts one placeholder per span and keeps every other character exactly', () => {
    const text = '  Héllo 👋🏽\tmail: bob@example.com\r\ncard 4111-1111-1111-1111; IBAN DE89 3704 0044 0532 0130 00 ✓  ';
    expect(maskPii(text)).toBe('  Héllo 👋🏽\tmail: [EMAIL]\r\ncard [CARD]; IBAN [IBAN] ✓  ');
  });

  it('returns text without personal data unchanged', () => {
    const text = 'Where is my order #10023? 谢谢 🙏';
    expect(maskPii(text)).toBe(text);
  });

  it('masks CJK text around spans without touching it', () => {
    expect(maskPii('我的手机号是13812345678，邮箱是bob@example.com谢谢')).toBe('我的手机号是[PHONE]，邮箱是[EMAIL]谢谢');
  });

  it('uses custom placeholders and can keep the last four digits of a card', () => {
    const text = 'card 4111 1111 1111 1234 or 5555555555554444, ip 10.1.2.3';
    expect(maskPii(text, { keepCardLast4: true, placeholders: { ip_address: '<ip>' } })).toBe(
      'card 4111 1111 1111 1234 or [CARD ****4444], ip <ip>',
    );
    expect(maskPii('card 5555555555554444', { keepCardLast4: true, placeholders: { credit_card: '#card' } })).toBe(
      'card #card ****4444',
    );
  });
});

describe('maskPiiDeep', () => {
  it('masks strings at any depth and keeps keys, numbers, nulls and the shape', () => {
    const record = {
      level: 30,
      msg: 'inbound from bob@example.com',
      contact: { 'bob@example.com': true, phones: ['+44 20 7946 0958', 42], note: null },
      at: new Date(0),
    };
    expect(maskPiiDeep(record)).toEqual({
      level: 30,
      msg: 'inbound from [EMAIL]',
      contact: { 'bob@example.com': true, phones: ['[PHONE]', 42], note: null },
      at: new Date(0),
    });
    expect(record.msg).toBe('inbound from bob@example.com');
  });

  it('copies a "__proto__" key of parsed JSON as data, and keeps cycles', () => {
    const parsed = JSON.parse('{"__proto__": {"mail": "bob@example.com"}}') as Record<string, unknown>;
    const masked = maskPiiDeep(parsed);
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value).toEqual({ mail: '[EMAIL]' });

    const cyclic: { mail: string; self?: unknown } = { mail: 'bob@example.com' };
    cyclic.self = cyclic;
    const copy = maskPiiDeep(cyclic);
    expect(copy.mail).toBe('[EMAIL]');
    expect(copy.self).toBe(copy);
  });
});
