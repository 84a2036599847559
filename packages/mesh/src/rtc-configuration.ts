import type { IceSettings } from './session-client';

/**
 * Audio and the control channel share one transport, negotiated or not: with
 * the default ('balanced') an offer gathers candidates for each of its two
 * m-lines until the answer says BUNDLE, twice the candidates to signal and
 * check on every link for nothing (every browser and libwebrtc bundles).
 * Never changed on a live connection: setConfiguration refuses a new policy.
 */
const BUNDLE_POLICY: RTCBundlePolicy = 'max-bundle';

export function toRtcConfiguration({ iceServers, iceTransportPolicy }: IceSettings): RTCConfiguration {
  return {
    bundlePolicy: BUNDLE_POLICY,
    iceServers: iceServers.map((server) => ({
      urls: server.urls,
      ...(server.username === undefined ? {} : { username: server.username }),
      ...(server.credential === undefined ? {} : { credential: server.credential }),
    })),
    iceTransportPolicy,
  };
}

/**
 * What every link is made with until the server's ICE settings arrive (and
 * what a page may make RTCPeerConnections with ahead of need: only the ICE
 * servers and transport policy can change on one before it negotiates).
 */
export const INITIAL_RTC_CONFIGURATION: RTCConfiguration = toRtcConfiguration({ iceServers: [], iceTransportPolicy: 'all' });
