import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { FRAME_BUDGETS } from './transport/frame-budget';

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
        handshakeTimeoutMs: 30_000,
        iceUrls: [],
        iceTransportPolicy: 'all',
        dataDir: './data',
        secret: undefined,
        graceMs: 20_000,
        resumeTtlS: 86_400,
        resumeMaxAgeS: 604_800,
        turnSecret: undefined,
        turnTtlS: 3_600,
        chatRate: { perS: 5, burst: 10 },
        chatRetentionDays: 30,
        metricsToken: undefined,
        allowedOrigins: [],
        trustProxy: 0,
        maxSocketsPerAddress: 20,
        maxHandshakesPerMin: 60,
        maxRoomsPerMin: 30,
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
      PARLEY_RESUME_MAX_AGE_S: '86400',
      PARLEY_INVITE_TTL_S: '3600',
      PARLEY_TURN_SECRET: 'coturn-static-auth-secret',
      PARLEY_TURN_TTL_S: '900',
      PARLEY_CHAT_RATE_PER_S: '0.5',
      PARLEY_CHAT_BURST: '3',
      PARLEY_CHAT_RETENTION_DAYS: '7',
      PARLEY_METRICS_TOKEN: 'scrape-me-0123456789',
      PARLEY_ALLOWED_ORIGINS: ' https://Parley.Example , http://localhost:5173/,',
      PARLEY_TRUST_PROXY: '1',
      PARLEY_MAX_SOCKETS_PER_ADDRESS: '50',
      PARLEY_MAX_HANDSHAKES_PER_MIN: '120',
      PARLEY_MAX_ROOMS_PER_MIN: '12',
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
        frameBudgets: FRAME_BUDGETS,
        chatAddressRate: { perS: 15, burst: 30 },
        chatRoomRate: { perS: 30, burst: 60 },
        dataDir: '/var/lib/parley',
        secret: 'sixteen-chars-at-least',
        graceMs: 5000,
        resumeTtlS: 600,
        resumeMaxAgeS: 86_400,
        inviteTtlS: 3600,
        turnSecret: 'coturn-static-auth-secret',
        turnTtlS: 900,
        chatRate: { perS: 0.5, burst: 3 },
        chatRetentionDays: 7,
        metricsToken: 'scrape-me-0123456789',
        allowedOrigins: ['https://parley.example', 'http://localhost:5173'],
        trustProxy: 1,
        maxSocketsPerAddress: 50,
        maxHandshakesPerMin: 120,
        maxRoomsPerMin: 12,
      },
    });
  });

  it('reads PARLEY_TRUST_PROXY as proxy addresses and CIDR ranges', () => {
    expect(parseConfig({ PARLEY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8,::1' })).toMatchObject({
      ok: true,
      config: { trustProxy: ['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '::1'] },
    });
  });

  it('reads the cluster settings, and refuses a Redis without a PostgreSQL: nodes would number chat each on their own', () => {
    const cluster = { PARLEY_REDIS_URL: 'redis://cache:6379', PARLEY_DATABASE_URL: 'postgres://parley:pw@db:5432/parley' };
    expect(parseConfig(cluster)).toMatchObject({ ok: true, config: { redisUrl: 'redis://cache:6379', databaseUrl: 'postgres://parley:pw@db:5432/parley' } });
    expect(parseConfig({ PARLEY_DATABASE_URL: cluster.PARLEY_DATABASE_URL })).toMatchObject({ ok: true, config: { redisUrl: undefined } });
    const alone = parseConfig({ PARLEY_REDIS_URL: cluster.PARLEY_REDIS_URL });
    expect(alone.ok).toBe(false);
    if (!alone.ok) expect(alone.message).toContain('PARLEY_DATABASE_URL');
    for (const [name, value] of [
      ['PARLEY_REDIS_URL', 'cache:6379'],
      ['PARLEY_DATABASE_URL', 'mysql://db/parley'],
    ] as const) {
      const result = parseConfig({ ...cluster, [name]: value });
      expect(result.ok, name).toBe(false);
      // The message names the variable, never its value (a URL may carry a password).
      if (!result.ok) expect(result.message).not.toContain(value);
    }
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
    ['PARLEY_RESUME_MAX_AGE_S', '59'],
    ['PARLEY_RESUME_MAX_AGE_S', '1.5'],
    ['PARLEY_TURN_TTL_S', '10'],
    ['PARLEY_CHAT_RATE_PER_S', '0'],
    ['PARLEY_CHAT_BURST', '2.5'],
    ['PARLEY_CHAT_RETENTION_DAYS', '0'],
    ['PARLEY_CHAT_RETENTION_DAYS', '3651'],
    ['PARLEY_CHAT_RETENTION_DAYS', '1.5'],
    ['PARLEY_METRICS_TOKEN', 'short'],
    ['PARLEY_ALLOWED_ORIGINS', 'parley.example'],
    ['PARLEY_ALLOWED_ORIGINS', 'https://parley.example/room'],
    ['PARLEY_ALLOWED_ORIGINS', 'wss://parley.example'],
    ['PARLEY_ALLOWED_ORIGINS', '*'],
    ['PARLEY_TRUST_PROXY', 'true'],
    ['PARLEY_TRUST_PROXY', '10.0.0.0/33'],
    ['PARLEY_TRUST_PROXY', 'proxy.local'],
    ['PARLEY_MAX_SOCKETS_PER_ADDRESS', '0'],
    ['PARLEY_MAX_HANDSHAKES_PER_MIN', '1.5'],
    ['PARLEY_MAX_ROOMS_PER_MIN', '0'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const result = parseConfig({ [name]: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(name);
  });
});
