import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, isAddressOrRange, proxyTrust } from './client-address';

describe('clientAddress', () => {
  it.each([
    ['no proxy trusted: the TCP peer, whatever X-Forwarded-For says', 0, '10.0.0.2', '203.0.113.9', '10.0.0.2'],
    ['one hop: the entry the proxy appended', 1, '10.0.0.2', '203.0.113.9', '203.0.113.9'],
    ['one hop: not what the client wrote before it', 1, '10.0.0.2', '6.6.6.6, 203.0.113.9', '203.0.113.9'],
    ['one hop, no header: the peer itself', 1, '10.0.0.2', undefined, '10.0.0.2'],
    ['two hops', 2, '10.0.0.2', '6.6.6.6, 203.0.113.9, 10.0.0.3', '203.0.113.9'],
    ['more hops than entries: the leftmost', 5, '10.0.0.2', '203.0.113.9', '203.0.113.9'],
    ['junk where the client should be: the proxy stands for it', 1, '10.0.0.2', 'unknown', '10.0.0.2'],
    ['an IPv4-mapped peer comes out plain', 0, '::ffff:127.0.0.1', undefined, '127.0.0.1'],
    ['trusted by range, walking past every trusted proxy', ['10.0.0.0/8'], '10.0.0.2', '6.6.6.6, 203.0.113.9, 10.9.9.9', '203.0.113.9'],
    ['a peer outside the trusted ranges is the client', ['10.0.0.0/8'], '192.0.2.1', '203.0.113.9', '192.0.2.1'],
    ['a trusted mapped peer', ['127.0.0.1'], '::ffff:127.0.0.1', '2001:db8::5', '2001:db8::5'],
  ] as const)('%s', (_what, trust, peer, forwarded, expected) => {
    expect(clientAddress(peer, forwarded, proxyTrust(typeof trust === 'number' ? trust : [...trust]))).toBe(expected);
  });

  it('reads repeated X-Forwarded-For headers in order', () => {
    expect(clientAddress('10.0.0.2', ['6.6.6.6', '203.0.113.9'], proxyTrust(1))).toBe('203.0.113.9');
  });
});

describe('addressKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2::a', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe('isAddressOrRange', () => {
  it.each(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '0.0.0.0/0'])('accepts %s', (entry) => {
    expect(isAddressOrRange(entry)).toBe(true);
  });
  it.each(['localhost', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', '10.0.0.0/', '10.0.0.0/x'])('refuses %s', (entry) => {
    expect(isAddressOrRange(entry)).toBe(false);
  });
});
