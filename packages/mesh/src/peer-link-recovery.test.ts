import type { Signal } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { peerLinkHarness as setup, settle } from '../test-support/peer-link-harness';

const PEER_EPOCH = 5;
const answer = (sdp = 'answer'): Signal => ({ kind: 'description', epoch: PEER_EPOCH, description: { type: 'answer', sdp } });
/** What a live polite peer sends once its own side of the path is down. */
const askForPath: Signal = { kind: 'restart', epoch: PEER_EPOCH, reason: 'path' };

/** The impolite side ('ada' < 'bob') of a fresh link: offered and answered, ICE checking, not connected yet. */
async function answeredImpolite(canSignal = true) {
  const t = setup('ada', 'bob', canSignal);
  t.pc().needNegotiation();
  await settle();
  t.link.handleSignal(answer());
  await settle();
  t.pc().setConnectionState('connecting');
  return t;
}

const isRestart = (offer: { description: { sdp: string } } | undefined) => offer?.description.sdp.includes('ice-restart') === true;

/** ICE restart offers sent so far. */
const restarts = (t: ReturnType<typeof setup>) => t.offers().filter(isRestart).length;

/** Wait (a minute at most) for our next offer and answer it if it is a resend, as a running peer does; false if it is an ICE restart. */
async function answerNextNudge(t: ReturnType<typeof setup>): Promise<boolean> {
  const sent = t.offers().length;
  for (let waitedMs = 0; t.offers().length === sent; waitedMs += 500) {
    if (waitedMs >= 60_000) throw new Error('the link sent nothing more for a minute');
    await t.advance(500);
  }
  if (isRestart(t.offers().at(-1))) return false;
  t.link.handleSignal(answer());
  await settle();
  return true;
}

/** Answer every resend, as a running peer on a path that never forms does, until an ICE restart comes: how many were answered. */
async function nudgesAnsweredBeforeRestart(t: ReturnType<typeof setup>): Promise<number> {
  let answered = 0;
  while (answered < 10 && (await answerNextNudge(t))) answered++;
  return answered;
}

/** The impolite side, offered, answered and connected. */
async function connectedImpolite(canSignal = true) {
  const t = await answeredImpolite(canSignal);
  t.pc().setConnectionState('connected');
  return t;
}

describe('PeerLink recovery (impolite side)', () => {
  it('leaves a path that heals within the grace alone', async () => {
    const t = await connectedImpolite();
    t.pc().setConnectionState('disconnected');
    await t.advance(1000);
    t.pc().setConnectionState('connected');
    await t.advance(60_000);
    expect(t.offers()).toHaveLength(1);
  });

  it('restarts ICE on a disconnected path as soon as the peer asks for a new one, not before', async () => {
    const t = await connectedImpolite();
    t.pc().setConnectionState('disconnected');
    await t.advance(1500);
    expect(t.offers()).toHaveLength(1);
    t.link.handleSignal(askForPath); // its own grace ran out: the path is down for it too
    await settle();
    expect(t.offers().at(-1)?.description.sdp).toContain('ice-restart');
    expect(t.states.at(-1)).toBe('restarting');
  });

  it('leaves a path alone while the peer says nothing (its page stands still), and it comes back by itself', async () => {
    const t = await connectedImpolite();
    t.link.mediaResumed();
    t.link.mediaStalled();
    t.pc().setConnectionState('disconnected');
    await t.advance(15_000);
    t.pc().setConnectionState('failed');
    await t.advance(15_000);
    expect(t.offers()).toHaveLength(1);
    expect(t.peerConnections).toHaveLength(1);
    expect(t.states).not.toContain('restarting');
    // The peer's page runs again: ICE finds the same path, audio flows, nothing was renegotiated.
    t.pc().setConnectionState('connected');
    t.link.mediaResumed();
    await t.advance(60_000);
    expect(t.offers()).toHaveLength(1);
    expect(t.link.state).toBe('connected');
  });

  it('restarts at once on failure, backs off 1 s, 2 s, then rebuilds the connection', async () => {
    const t = await connectedImpolite();
    const restartTimes: number[] = [];
    const start = t.clock.now();
    let seen = 1;
    t.pc().setConnectionState('failed');
    t.link.handleSignal(askForPath);
    for (let step = 0; step < 8; step++) {
      await settle();
      if (t.offers().length > seen && t.peerConnections.length === 1) {
        seen = t.offers().length;
        restartTimes.push(t.clock.now() - start);
        t.link.handleSignal(answer(`answer-${step}`)); // the peer answers; the path stays dead
        await settle();
      }
      await t.advance(1000);
    }
    expect(restartTimes).toEqual([0, 1000, 3000]);
    // The fourth attempt (at 7 s) replaced the RTCPeerConnection; its first offer carries a newer epoch.
    expect(t.peerConnections).toHaveLength(2);
    expect(t.peerConnections[0]?.connectionState).toBe('closed');
    t.pc().needNegotiation();
    await settle();
    const fresh = t.offers().at(-1);
    expect(fresh?.epoch).toBeGreaterThan(t.offers()[0]?.epoch ?? Infinity);
    expect(fresh?.description.sdp).not.toContain('ice-restart');
  });

  it('keeps trying every few seconds for as long as the path is down, and stops once it is back', async () => {
    const t = await connectedImpolite();
    t.pc().setConnectionState('failed');
    t.link.handleSignal(askForPath);
    // A live peer that answers every offer; the path itself stays dead (the TURN server is down).
    const answerOffers = async () => {
      if (t.pc().localDescription === null) t.pc().needNegotiation(); // a rebuilt connection offers
      await settle();
      if (t.pc().signalingState === 'have-local-offer') t.link.handleSignal(answer(`answer-${t.offers().length}`));
      await settle();
    };
    const attemptTimes: number[] = [];
    const start = t.clock.now();
    let offers = t.offers().length;
    for (let second = 0; second < 120; second++) {
      await answerOffers();
      if (t.offers().length > offers) attemptTimes.push(t.clock.now() - start);
      offers = t.offers().length;
      await t.advance(1000);
    }
    const gaps = attemptTimes.slice(1).map((at, i) => at - (attemptTimes[i] ?? 0));
    expect(attemptTimes.length).toBeGreaterThanOrEqual(28);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(4000);
    expect(t.peerConnections.length).toBeGreaterThan(2);
    // The relay is back: the next attempt connects, and nothing more happens.
    t.pc().setConnectionState('connected');
    const settled = t.offers().length;
    const connections = t.peerConnections.length;
    await t.advance(120_000);
    expect(t.offers()).toHaveLength(settled);
    expect(t.peerConnections).toHaveLength(connections);
  });

  it('waits for signaling before restarting, then restarts as soon as the peer asks over it', async () => {
    const t = await connectedImpolite();
    t.link.setSignalingAvailable(false);
    t.pc().setConnectionState('failed');
    await t.advance(60_000);
    expect(t.offers()).toHaveLength(1);
    expect(t.peerConnections).toHaveLength(1);
    t.link.setSignalingAvailable(true);
    t.link.handleSignal(askForPath); // the peer's request, deferred as ours was, goes out too
    await settle();
    expect(t.offers().at(-1)?.description.sdp).toContain('ice-restart');
  });

  it('never touches a healthy connection while signaling is away', async () => {
    const t = await connectedImpolite();
    t.link.setSignalingAvailable(false);
    await t.advance(10 * 60_000);
    t.link.setSignalingAvailable(true);
    await t.advance(60_000);
    expect(t.offers()).toHaveLength(1);
    expect(t.peerConnections).toHaveLength(1);
    expect(t.link.state).toBe('connected');
  });

  it('resends an offer the peer never answers instead of rebuilding, and rebuilds once the peer has heard three restarts', async () => {
    const t = await connectedImpolite();
    t.pc().setConnectionState('disconnected');
    await t.advance(1500);
    t.link.handleSignal(askForPath); // an ICE restart offer, which the peer never answers: its page stops just after asking
    await settle();
    const restartAt = t.offers().length - 1;
    const restartSdp = t.offers()[restartAt]?.description.sdp;
    expect(restartSdp).toContain('ice-restart');
    await t.advance(30_000);
    // Past the 10 s deadline and three more attempts: the same connection, sending the same offer.
    expect(t.peerConnections).toHaveLength(1);
    const resent = t.offers().slice(restartAt);
    expect(resent.length).toBeGreaterThan(3);
    expect(new Set(resent.map((offer) => offer.description.sdp))).toEqual(new Set([restartSdp]));
    // A peer that says it has heard nothing of ours is behind, not responsive: still no rebuild.
    t.link.handleSignal({ kind: 'restart', epoch: PEER_EPOCH, reason: 'unheard' });
    await t.advance(10_000);
    expect(t.peerConnections).toHaveLength(1);
    // The peer has caught up and asks for a path. The resends it never saw were not restarts: no rebuild for them.
    t.link.handleSignal(askForPath);
    await t.advance(2000);
    expect(t.peerConnections).toHaveLength(1);
    // It goes on asking and answers nothing: two more restarts it has heard (three with the first), then the rebuild.
    let asked = 1;
    while (t.peerConnections.length === 1 && asked < 10) {
      t.link.handleSignal(askForPath);
      await t.advance(2000);
      asked++;
    }
    expect(asked).toBe(3);
    expect(t.peerConnections).toHaveLength(2);
    expect(t.peerConnections[0]?.connectionState).toBe('closed');
  });

  it('resends an unanswered offer when the peer asks, and restarts ICE once answered', async () => {
    const t = setup('ada', 'bob');
    t.pc().needNegotiation();
    await settle();
    const first = t.offers()[0];
    // The peer was away from the server when we offered; back now, it asks.
    t.link.handleSignal({ kind: 'restart', epoch: PEER_EPOCH });
    await settle();
    expect(t.offers()).toEqual([first, first]);
    t.link.handleSignal(answer());
    await settle();
    t.pc().setConnectionState('connected');
    t.link.handleSignal({ kind: 'restart', epoch: PEER_EPOCH });
    await settle();
    expect(t.offers().at(-1)?.description.sdp).toContain('ice-restart');
  });

  it('a peer that has not heard us gets a resend, never an ICE restart or a rebuild', async () => {
    const t = setup('ada', 'bob');
    // Asked before our first offer exists: that offer is made, once.
    t.link.handleSignal({ kind: 'restart', epoch: PEER_EPOCH, reason: 'unheard' });
    await settle();
    t.pc().needNegotiation();
    await settle();
    expect(t.offers()).toHaveLength(1);
    const first = t.offers()[0];
    // The request crossed our offer: resend it, however often it comes.
    for (let i = 0; i < 3; i++) t.link.handleSignal({ kind: 'restart', epoch: PEER_EPOCH, reason: 'unheard' });
    await settle();
    t.link.handleSignal(answer());
    await settle();
    t.link.handleSignal({ kind: 'restart', epoch: PEER_EPOCH, reason: 'unheard' });
    await settle();
    expect(t.offers()).toEqual([first, first, first, first, first]);
    expect(t.peerConnections).toHaveLength(1);
    expect(t.states).not.toContain('restarting');
  });

  it('a slow answer is waited for: our offer is resent with growing patience, and no ICE restart follows an answer', async () => {
    const t = setup('ada', 'bob');
    t.pc().needNegotiation();
    await settle();
    await t.advance(2500);
    expect(t.offers()).toHaveLength(2); // one nudge
    await t.advance(4999);
    expect(t.offers()).toHaveLength(2);
    t.link.handleSignal(answer()); // 7.5 s late
    await settle();
    t.pc().setConnectionState('connecting');
    await t.advance(1000);
    t.pc().setConnectionState('connected');
    await t.advance(60_000);
    expect(t.offers()).toHaveLength(2);
    expect(restarts(t)).toBe(0);
    expect(t.peerConnections).toHaveLength(1);
  });

  it('a fresh link whose peer stands still only resends its offer, and escalates once the peer answers and still no path forms', async () => {
    const t = await answeredImpolite();
    // The peer's page stops before ICE gets through (seen: a newcomer stopped a second after Join). A minute of nothing.
    await t.advance(60_000);
    const first = t.offers()[0];
    expect(t.offers().length).toBeGreaterThan(3);
    expect(new Set(t.offers().map((offer) => offer.description.sdp))).toEqual(new Set([first?.description.sdp]));
    expect(t.peerConnections).toHaveLength(1);
    // Back, it answers each resend, but no path forms: three answered nudges, then an ICE restart.
    expect(await nudgesAnsweredBeforeRestart(t)).toBe(3);
    expect(restarts(t)).toBe(1);
    expect(t.peerConnections).toHaveLength(1);
  });

  it('a fresh link that fails while its peer stands still is left to ICE and the nudges, before and after the peer runs again', async () => {
    const stoppedPeer = async () => {
      const t = await answeredImpolite();
      await t.advance(8000); // a nudge, unanswered
      t.pc().setConnectionState('failed'); // its ICE checks went unanswered too
      await t.advance(30_000);
      expect(restarts(t)).toBe(0);
      return t;
    };
    // It runs again and answers; ICE finds the path by itself, seconds later: nothing renegotiated.
    const healed = await stoppedPeer();
    expect(await answerNextNudge(healed)).toBe(true);
    await healed.advance(4000);
    healed.pc().setConnectionState('connecting');
    await healed.advance(2000);
    healed.pc().setConnectionState('connected');
    await healed.advance(30_000);
    expect(restarts(healed)).toBe(0);
    expect(healed.link.state).toBe('connected');
    // ICE does not: it answers three nudges, then the link restarts ICE, as any silent negotiation does.
    const dead = await stoppedPeer();
    expect(await nudgesAnsweredBeforeRestart(dead)).toBe(3);
    expect(restarts(dead)).toBe(1);
    expect(dead.peerConnections).toHaveLength(1);
  });

  it('an answer that takes long to apply is progress from its arrival: our offer is not resent meanwhile', async () => {
    const t = setup('ada', 'bob');
    t.pc().needNegotiation();
    await settle();
    await t.advance(2000);
    // A starved page: the browser applies the answer 1.5 s after it arrived, past the first nudge's time.
    const pc = t.pc();
    const applyNow = pc.setRemoteDescription;
    let applied: () => void = () => {};
    pc.setRemoteDescription = (description) => new Promise<void>((resolve) => (applied = () => void applyNow(description).then(resolve)));
    t.link.handleSignal(answer());
    await settle();
    await t.advance(1500);
    applied();
    await settle();
    expect(t.offers()).toHaveLength(1);
    expect(pc.signalingState).toBe('stable');
  });

  it('rebuilds when the peer asks from a newer connection (its page reloaded)', async () => {
    const t = await connectedImpolite();
    t.link.handleSignal({ kind: 'restart', epoch: PEER_EPOCH + 100 });
    await settle();
    expect(t.peerConnections).toHaveLength(2);
    t.pc().needNegotiation();
    await settle();
    expect(t.offers().at(-1)?.epoch).toBeGreaterThan(t.offers()[0]?.epoch ?? Infinity);
  });
});

describe('PeerLink recovery (polite side)', () => {
  const offer = (sdp = 'offer-1', epoch = PEER_EPOCH): Signal => ({ kind: 'description', epoch, description: { type: 'offer', sdp } });

  async function connectedPolite() {
    const t = setup('bob', 'ada');
    t.link.handleSignal(offer());
    await settle();
    t.pc().setConnectionState('connected');
    return t;
  }

  it('asks the impolite peer to restart when its path fails, with the same backoff', async () => {
    const t = await connectedPolite();
    t.pc().setConnectionState('failed');
    await settle();
    // It carries the epoch of its current connection, the one its answer carried.
    const ourEpoch = t.sent.find((s) => s.kind === 'description' && s.description.type === 'answer')?.epoch;
    expect(t.restartRequests().map((s) => s.epoch)).toEqual([ourEpoch]);
    expect(t.offers()).toEqual([]);
    await t.advance(1000);
    expect(t.restartRequests()).toHaveLength(2);
  });

  it('asks for a resend when nobody offered to a fresh connection within 2.5 s', async () => {
    const t = setup('bob', 'ada');
    await t.advance(2499);
    expect(t.restartRequests()).toEqual([]);
    await t.advance(1);
    expect(t.restartRequests()).toEqual([{ kind: 'restart', epoch: expect.any(Number), reason: 'unheard' }]);
    expect(t.offers()).toEqual([]);
  });

  it('says nothing when the offer arrives in time and the path comes up', async () => {
    const t = setup('bob', 'ada');
    await t.advance(200);
    t.link.handleSignal(offer());
    await settle();
    t.pc().setConnectionState('connecting');
    await t.advance(1000);
    t.pc().setConnectionState('connected');
    await t.advance(60_000);
    expect(t.restartRequests()).toEqual([]);
    expect(t.sent.filter((s) => s.kind === 'description')).toHaveLength(1);
  });

  it('answered, then quiet: resends its answer, backing off, before it ever asks for a restart', async () => {
    const t = setup('bob', 'ada');
    t.link.handleSignal(offer());
    await settle();
    const answers = () => t.sent.filter((s) => s.kind === 'description').length;
    expect(answers()).toBe(1);
    await t.advance(2500);
    expect(answers()).toBe(2);
    await t.advance(5000);
    expect(answers()).toBe(3);
    await t.advance(8000);
    expect(answers()).toBe(4);
    expect(t.restartRequests()).toEqual([]);
    expect(t.peerConnections).toHaveLength(1);
    // Eight more seconds of silence (the cap): only now does it treat the path as broken.
    await t.advance(8000);
    expect(t.restartRequests()).toEqual([{ kind: 'restart', epoch: t.sent[0]?.epoch, reason: 'path' }]);
  });

  it('answers a resent offer again without renegotiating', async () => {
    const t = setup('bob', 'ada');
    t.link.handleSignal(offer('offer-1'));
    await settle();
    const remote = t.pc().remoteDescription;
    t.link.handleSignal(offer('offer-1'));
    await settle();
    const answers = t.sent.filter((s) => s.kind === 'description' && s.description.type === 'answer');
    expect(answers).toHaveLength(2);
    expect(t.pc().remoteDescription).toBe(remote);
    expect(t.peerConnections).toHaveLength(1);
  });

  it('delivers a voice state sent before its control channel existed once the channel opens', async () => {
    const t = setup('bob', 'ada');
    t.link.sendVoiceState({ muted: true, deafened: true });
    t.link.handleSignal(offer());
    await settle();
    const channel = t.pc().channels[0];
    expect(channel).toBeDefined();
    channel?.open();
    expect(channel?.sentMessages[0]).toEqual({ type: 'voice.state', muted: true, deafened: true });
  });
});
