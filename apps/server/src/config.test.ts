import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('has working defaults for an empty environment', () => {
    const result = parseConfig({});
    expect(result).toMatchObject({
      ok: true,
      config: {
        port: 8080,
        host: '0.0.0.0',
        logLevel: 'info',
        heartbeatIntervalMs: 10_000,
        iceUrls: [],
        iceTransportPolicy: 'all',
        dataDir: './data',
        secret: undefined,
        graceMs: 20_000,
        resumeTtlS: 86_400,
        turnSecret: undefined,
        turnTtlS: 3_600,
        chatRate: { perS: 5, burst: 10 },
        chatRetentionDays: 30,
      },
    });
    expect(result.ok && result.config.webDir).toMatch(/apps[/\\]web[/\\]dist$/);
  });

  it('reads every variable', () => {
    const result = parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      PARLEY_WEB_DIR: '/srv/web',
      PARLEY_HEARTBEAT_MS: '5000',
      PARLEY_HANDSHAKE_TIMEOUT_MS: '2000',
      PARLEY_ICE_SERVERS: ' stun:stun.example.org:3478 , turn:turn.example.org:3478?transport=udp,',
      PARLEY_ICE_TRANSPORT_POLICY: 'relay',
      PARLEY_DATA_DIR: '/var/lib/parley',
      PARLEY_SECRET: 'sixteen-chars-at-least',
      PARLEY_GRACE_MS: '5000',
      PARLEY_RESUME_TTL_S: '600',
      PARLEY_INVITE_TTL_S: '3600',
      PARLEY_TURN_SECRET: 'coturn-static-auth-secret',
      PARLEY_TURN_TTL_S: '900',
      PARLEY_CHAT_RATE_PER_S: '0.5',
      PARLEY_CHAT_BURST: '3',
      PARLEY_CHAT_RETENTION_DAYS: '7',
    });
    expect(result).toEqual({
      ok: true,
      config: {
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        webDir: '/srv/web',
        heartbeatIntervalMs: 5000,
        handshakeTimeoutMs: 2000,
        iceUrls: ['stun:stun.example.org:3478', 'turn:turn.example.org:3478?transport=udp'],
        iceTransportPolicy: 'relay',
        badFrames: { max: 10, windowMs: 10_000 },
        dataDir: '/var/lib/parley',
        secret: 'sixteen-chars-at-least',
        graceMs: 5000,
        resumeTtlS: 600,
        inviteTtlS: 3600,
        turnSecret: 'coturn-static-auth-secret',
        turnTtlS: 900,
        chatRate: { perS: 0.5, burst: 3 },
        chatRetentionDays: 7,
      },
    });
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ PORT: '', PARLEY_ICE_SERVERS: '', PARLEY_SECRET: '' })).toMatchObject({
      ok: true,
      config: { port: 8080, iceUrls: [], secret: undefined },
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['PARLEY_HEARTBEAT_MS', '60000'],
    ['PARLEY_ICE_SERVERS', 'http://example.org'],
    ['PARLEY_ICE_TRANSPORT_POLICY', 'none'],
    ['PARLEY_SECRET', 'short'],
    ['PARLEY_GRACE_MS', '-1'],
    ['PARLEY_RESUME_TTL_S', 'a day'],
    ['PARLEY_TURN_TTL_S', '10'],
    ['PARLEY_CHAT_RATE_PER_S', '0'],
    ['PARLEY_CHAT_BURST', '2.5'],
    ['PARLEY_CHAT_RETENTION_DAYS', '0'],
    ['PARLEY_CHAT_RETENTION_DAYS', '3651'],
    ['PARLEY_CHAT_RETENTION_DAYS', '1.5'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const result = parseConfig({ [name]: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(name);
  });
});
