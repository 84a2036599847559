import { describe, expect, it } from 'vitest';
import { isUsableCandidate } from './ice-candidates';

describe('isUsableCandidate', () => {
  it.each([
    ['candidate:842163049 1 udp 1677729535 192.0.2.2 52114 typ srflx raddr 0.0.0.0 rport 0 generation 0', true],
    ['candidate:1 1 UDP 2122260223 fd00::2 40000 typ host', true],
    ['candidate:3 1 udp 41885439 203.0.113.9 3478 typ relay raddr 192.0.2.2 rport 40000', true],
    ['a=candidate:1 1 udp 2122260223 192.0.2.2 40000 typ host', true],
    ['candidate:2 1 tcp 1518280447 192.0.2.2 9 typ host tcptype active generation 0', false],
    ['candidate:4 1 TCP 1518214911 fd00::2 45213 typ host tcptype passive', false],
    ['a=candidate:4 1 tcp 1518214911 192.0.2.2 45213 typ host tcptype passive', false],
  ])('%s -> %s', (line, usable) => {
    expect(isUsableCandidate(line)).toBe(usable);
  });
});
