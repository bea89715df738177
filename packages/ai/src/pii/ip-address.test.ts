import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.ts';

const ips = (text: string): string[] => detectPii(text, { types: ['ip_address'] }).map((span) => span.text);

describe('IP address detection', () => {
  it('finds IPv4 and IPv6 addresses, also inside log noise', () => {
    expect(ips('keep getting address 41.173.96.26 blocked')).toEqual(['41.173.96.26']);
    expect(ips('client_ip = ?%//!%20\\|106.31.73.20|%20/')).toEqual(['106.31.73.20']);
    expect(ips('from 2001:db8::8a2e:370:7334 and fe80::1%eth0, mapped ::ffff:192.0.2.1')).toEqual([
      '2001:db8::8a2e:370:7334',
      'fe80::1%eth0',
      '::ffff:192.0.2.1',
    ]);
  });

  it('rejects octets over 255, leading zeros and longer dotted numbers', () => {
    expect(ips('999.1.1.1 and 10.0.0.256 and 01.2.3.4 and 1.2.3.4.5')).toEqual([]);
  });

  it('reads a dotted quad after a version word as a version, not an address', () => {
    expect(ips('updated to version 1.2.3.4 and v10.0.19041.1, server 10.0.0.1')).toEqual(['10.0.0.1']);
  });

  it('does not take times or C++ scopes for IPv6', () => {
    expect(ips('at 12:30:45 we called std::move and a::b')).toEqual([]);
  });
});
