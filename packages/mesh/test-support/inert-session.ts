import { PcSession, type PcSessionHandlers } from '../src/pc-session';
import type { PeerConnectionLike } from '../src/environment';
import { fakeEnvironment } from './fake-environment';

/**
 * A PcSession over `pc` (a test's PeerConnectionLike) with a fake environment:
 * unmuted, no local track, every handler a no-op unless `handlers` names it.
 */
export function sessionOver(pc: PeerConnectionLike, options: { polite?: boolean; handlers?: Partial<PcSessionHandlers> } = {}) {
  const fake = fakeEnvironment();
  fake.env.createPeerConnection = () => pc;
  const noop = () => {};
  const session = new PcSession({
    env: fake.env,
    epoch: 1,
    polite: options.polite ?? false,
    rtcConfiguration: {},
    localTrack: null,
    voiceState: () => ({ muted: false, deafened: false }),
    logFields: {},
    handlers: {
      signal: noop,
      negotiationStarted: noop,
      connectionStateChanged: noop,
      remoteTrack: noop,
      negotiationFailed: noop,
      negotiationStateChanged: noop,
      progressed: noop,
      answerTimed: noop,
      remoteVoiceState: noop,
      rttMeasured: noop,
      ...options.handlers,
    },
  });
  return { session, clock: fake.clock };
}
