import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createIceServers, turnCredential } from './ice-servers';

const URLS = ['stun:stun.example.org:3478', 'turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'];

describe('turnCredential', () => {
  it('follows the coturn REST API scheme', () => {
    const expected = createHmac('sha1', 'coturn-secret').update('1893456000:user-1').digest('base64');
    expect(turnCredential('coturn-secret', 'user-1', 1_893_456_000)).toEqual({
      username: '1893456000:user-1',
      credential: expected,
    });
  });
});

describe('createIceServers', () => {
  it('hands every URL out as is, without credentials, when there is no TURN secret', () => {
    const ice = createIceServers({ iceUrls: URLS, iceTransportPolicy: 'relay', turnSecret: undefined, turnTtlS: 3_600 }, createFakeClock());
    expect(ice.grant('user-1')).toEqual({ iceServers: URLS.map((urls) => ({ urls })), iceTransportPolicy: 'relay' });
    expect(ice.refreshAfterMs).toBeUndefined();
  });

  it('groups TURN URLs under one entry with credentials that expire after the TTL; STUN stays bare', () => {
    const clock = createFakeClock(Date.UTC(2030, 0, 1, 12, 0, 0, 500));
    const ice = createIceServers({ iceUrls: URLS, iceTransportPolicy: 'all', turnSecret: 's3cret', turnTtlS: 3_600 }, clock);
    const expiresAtS = Math.floor(clock.now() / 1000) + 3_600;
    const username = `${expiresAtS}:user-1`;
    expect(ice.grant('user-1')).toEqual({
      iceServers: [
        { urls: 'stun:stun.example.org:3478' },
        {
          urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
          username,
          credential: createHmac('sha1', 's3cret').update(username).digest('base64'),
        },
      ],
      iceTransportPolicy: 'all',
      iceServersExpireAt: expiresAtS * 1000,
    });
    expect(ice.refreshAfterMs).toBe(2_880_000);
  });

  it('issues later-expiring credentials as time passes', () => {
    const clock = createFakeClock();
    const ice = createIceServers({ iceUrls: URLS, iceTransportPolicy: 'all', turnSecret: 's3cret', turnTtlS: 3_600 }, clock);
    const first = ice.grant('user-1').iceServersExpireAt ?? 0;
    clock.advance(60_000);
    expect(ice.grant('user-1').iceServersExpireAt).toBe(first + 60_000);
  });

  it('has nothing to expire when only STUN URLs are configured', () => {
    const ice = createIceServers({ iceUrls: ['stun:a.example.org'], iceTransportPolicy: 'all', turnSecret: 's3cret', turnTtlS: 3_600 }, createFakeClock());
    expect(ice.grant('user-1')).toEqual({ iceServers: [{ urls: 'stun:a.example.org' }], iceTransportPolicy: 'all' });
    expect(ice.refreshAfterMs).toBeUndefined();
  });
});
