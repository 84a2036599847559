import { describe, expect, it } from 'vitest';
import { InertPeerConnection } from '../test-support/inert-peer-connection';
import { sessionOver } from '../test-support/inert-session';
import { MediaFlowDetector } from './media-flow';

/**
 * A receiver as Chromium shows it: an RTP source whose timestamp moves when a
 * frame is played out, and getStats whose inbound bytes grow when packets
 * arrive. A test moves each on its own: playout stalls on a starved page
 * while packets keep coming; both stop when the path dies.
 */
class ReceivingPeerConnection extends InertPeerConnection {
  playedAt = 1;
  bytes = 0;
  getStatsCalls = 0;

  override addTransceiver(): RTCRtpTransceiver {
    const receiver = { getSynchronizationSources: () => [{ timestamp: this.playedAt, audioLevel: 0.1, source: 1 }] };
    return { sender: { replaceTrack: async () => {} }, receiver, direction: 'sendrecv' } as unknown as RTCRtpTransceiver;
  }

  override getStats = async (): Promise<RTCStatsReport> => {
    this.getStatsCalls++;
    return new Map([['in', { type: 'inbound-rtp', kind: 'audio', bytesReceived: this.bytes }]]) as unknown as RTCStatsReport;
  };
}

const TICK_MS = 250;

function receivingSession() {
  const pc = new ReceivingPeerConnection();
  const { session, clock } = sessionOver(pc);
  const detector = new MediaFlowDetector();
  const levels: number[] = [];
  /** One monitor tick: the network and the playout move as told, then the link is sampled. */
  const tick = async (moves: { packets: boolean; playout: boolean }): Promise<boolean> => {
    clock.advance(TICK_MS);
    if (moves.packets) pc.bytes += 1_000;
    if (moves.playout) pc.playedAt += TICK_MS;
    const { flow, level } = await session.sampleInbound();
    levels.push(level ?? 0);
    detector.update(flow ?? 0, clock.now());
    return detector.isStalled;
  };
  return { pc, tick, levels };
}

describe('PcSession.sampleInbound: stalled playout against a dead path', () => {
  it('costs no getStats call while frames are played', async () => {
    const { pc, tick } = receivingSession();
    for (let i = 0; i < 20; i++) expect(await tick({ packets: true, playout: true })).toBe(false);
    expect(pc.getStatsCalls).toBe(0);
  });

  it('a starved page that stops playing out while packets arrive is not stalled', async () => {
    const { tick } = receivingSession();
    for (let i = 0; i < 4; i++) await tick({ packets: true, playout: true });
    const verdicts: boolean[] = [];
    for (let i = 0; i < 16; i++) verdicts.push(await tick({ packets: true, playout: false })); // four seconds
    expect(verdicts.every((stalled) => !stalled)).toBe(true);
  });

  it('a path whose packets stop is stalled after the usual second, as before', async () => {
    const { tick } = receivingSession();
    for (let i = 0; i < 4; i++) await tick({ packets: true, playout: true });
    const verdicts: boolean[] = [];
    for (let i = 0; i < 6; i++) verdicts.push(await tick({ packets: false, playout: false }));
    expect(verdicts).toEqual([false, false, false, true, true, true]);
  });

  it('the last frame\'s level is not read as speech once the packets have stopped, and is again once they come back', async () => {
    const { tick, levels } = receivingSession();
    for (let i = 0; i < 4; i++) await tick({ packets: true, playout: true });
    for (let i = 0; i < 6; i++) await tick({ packets: false, playout: false }); // the source keeps its last level, 0.1
    await tick({ packets: true, playout: true });
    expect(levels).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0, 0, 0, 0.1]);
  });

  it('a starved page whose playout stands still while packets arrive keeps its level', async () => {
    const { tick, levels } = receivingSession();
    for (let i = 0; i < 4; i++) await tick({ packets: true, playout: true });
    for (let i = 0; i < 8; i++) await tick({ packets: true, playout: false });
    expect(levels.every((level) => level === 0.1)).toBe(true);
  });

  it('audio played again after a stall counts as flowing at once', async () => {
    const { tick } = receivingSession();
    for (let i = 0; i < 4; i++) await tick({ packets: true, playout: true });
    for (let i = 0; i < 6; i++) await tick({ packets: false, playout: false });
    expect(await tick({ packets: true, playout: true })).toBe(false);
  });
});
