import { createHmac } from 'node:crypto';
import type { IceServer, IceServersUpdated, UserId } from '@parley/protocol';
import type { Clock } from '../clock';
import type { Config } from '../config';

/** What a client is told about ICE servers, in `session.welcome` and `ice.servers`. */
export type IceGrant = Omit<IceServersUpdated, 'type'>;

export type IceServers = {
  /** The ICE servers for one user, with TURN credentials valid from now. */
  grant(userId: UserId): IceGrant;
  /** What anyone may know (the welcome): STUN URLs, and TURN URLs only where they need no credentials. */
  publicServers(): IceGrant;
  /** When to send fresh credentials after a grant; undefined when nothing expires. */
  refreshAfterMs: number | undefined;
};

/** Fresh credentials are sent once this share of their lifetime has passed. */
const REFRESH_AT = 0.8;

const isTurn = (url: string): boolean => url.startsWith('turn:') || url.startsWith('turns:');

/**
 * coturn's REST API scheme (`use-auth-secret`): the username is `<unix-expiry-seconds>:<userId>`
 * and the password is base64(HMAC-SHA1(static-auth-secret, username)).
 */
export function turnCredential(turnSecret: string, userId: UserId, expiresAtS: number): { username: string; credential: string } {
  const username = `${expiresAtS}:${userId}`;
  return { username, credential: createHmac('sha1', turnSecret).update(username).digest('base64') };
}

/**
 * Hands out the configured ICE URLs. Without a TURN secret every URL is its own
 * credential-less entry; with one, STUN URLs stay credential-less and the TURN
 * URLs share one entry with per-user credentials that expire after `turnTtlS`.
 */
export function createIceServers(
  config: Pick<Config, 'iceUrls' | 'iceTransportPolicy' | 'turnSecret' | 'turnTtlS'>,
  clock: Pick<Clock, 'now'>,
): IceServers {
  const { turnSecret, turnTtlS, iceTransportPolicy } = config;
  const turnUrls = config.iceUrls.filter(isTurn);
  if (turnSecret === undefined || turnUrls.length === 0) {
    const iceServers = config.iceUrls.map((urls) => ({ urls }));
    const all = (): IceGrant => ({ iceServers, iceTransportPolicy });
    return { grant: all, publicServers: all, refreshAfterMs: undefined };
  }
  const stunServers = config.iceUrls.filter((url) => !isTurn(url)).map((urls) => ({ urls }));
  return {
    publicServers: () => ({ iceServers: stunServers, iceTransportPolicy }),
    grant(userId) {
      const expiresAtS = Math.floor(clock.now() / 1000) + turnTtlS;
      const turn: IceServer = { urls: turnUrls, ...turnCredential(turnSecret, userId, expiresAtS) };
      return { iceServers: [...stunServers, turn], iceTransportPolicy, iceServersExpireAt: expiresAtS * 1000 };
    },
    refreshAfterMs: Math.floor(turnTtlS * 1000 * REFRESH_AT),
  };
}
