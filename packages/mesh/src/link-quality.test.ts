import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support/fake-clock';
import { deriveLinkQuality, gradeLink, pathTypeOf, readLinkStats, type LinkQuality, type LinkStatsSnapshot } from './link-quality';
import { LinkQualityMonitor, QUALITY_INTERVAL_MS, HIDDEN_QUALITY_INTERVAL_MS } from './link-quality-monitor';

/** A stats report as Chromium 156 gives it for one audio link, trimmed to the fields that matter. */
function chromiumReport(counters: { packetsReceived: number; packetsLost: number; bytesReceived: number; bytesSent: number }, local = 'host', remote = 'prflx') {
  const entries: Record<string, unknown>[] = [
    { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP0', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R2', currentRoundTripTime: 9 },
    { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', currentRoundTripTime: 0.012, nominated: true, state: 'succeeded' },
    { id: 'L1', type: 'local-candidate', candidateType: local },
    { id: 'R1', type: 'remote-candidate', candidateType: remote },
    { id: 'L2', type: 'local-candidate', candidateType: 'relay' },
    { id: 'R2', type: 'remote-candidate', candidateType: 'relay' },
    { id: 'IT', type: 'inbound-rtp', kind: 'audio', codecId: 'C111', jitter: 0.004, ...counters },
    { id: 'OT', type: 'outbound-rtp', kind: 'audio', codecId: 'C111', bytesSent: counters.bytesSent },
    { id: 'RI', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.5 },
    { id: 'C111', type: 'codec', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  ];
  return new Map(entries.map((entry) => [entry.id as string, entry]));
}

describe('readLinkStats', () => {
  it('reads the selected pair, the inbound audio counters and the codec', () => {
    const snapshot = readLinkStats(chromiumReport({ packetsReceived: 500, packetsLost: 5, bytesReceived: 40_000, bytesSent: 30_000 }), 1000);
    expect(snapshot).toEqual({
      atMs: 1000,
      roundTripMs: 12,
      jitterMs: 4,
      packetsReceived: 500,
      packetsLost: 5,
      bytesReceived: 40_000,
      bytesSent: 30_000,
      localCandidateType: 'host',
      remoteCandidateType: 'prflx',
      codec: { mimeType: 'audio/opus', clockRateHz: 48000, channels: 2 },
    });
  });

  it.each([
    ['no selected pair: the remote side’s RTCP round trip', [{ id: 'RI', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.08 }], { roundTripMs: 80 }],
    [
      'Firefox: the pair flagged selected',
      [
        { id: 'CP', type: 'candidate-pair', selected: true, currentRoundTripTime: 0.03, localCandidateId: 'L', remoteCandidateId: 'R' },
        { id: 'L', type: 'local-candidate', candidateType: 'relay' },
        { id: 'R', type: 'remote-candidate', candidateType: 'host' },
      ],
      { roundTripMs: 30, localCandidateType: 'relay', remoteCandidateType: 'host' },
    ],
    ['fields of the wrong type are ignored', [{ id: 'IT', type: 'inbound-rtp', kind: 'audio', jitter: 'x', packetsLost: null, codecId: 7 }], {}],
    ['video and data entries are not audio', [{ id: 'IV', type: 'inbound-rtp', kind: 'video', packetsReceived: 9 }, null, 3], {}],
  ])('%s', (_, entries, expected) => {
    const report = new Map((entries as unknown[]).map((entry, i) => [String((entry as { id?: string } | null)?.id ?? i), entry]));
    expect(readLinkStats(report, 0)).toEqual({ atMs: 0, ...expected });
  });
});

describe('gradeLink', () => {
  it.each<[string, Pick<LinkQuality, 'roundTripMs' | 'lossPercent' | 'jitterMs'>, string]>([
    ['loopback', { roundTripMs: 1, lossPercent: 0, jitterMs: 2 }, 'good'],
    ['nothing measured yet', {}, 'good'],
    ['a continent away', { roundTripMs: 320, lossPercent: 0, jitterMs: 10 }, 'fair'],
    ['some loss', { roundTripMs: 40, lossPercent: 3, jitterMs: 10 }, 'fair'],
    ['unsteady', { roundTripMs: 40, lossPercent: 0, jitterMs: 40 }, 'fair'],
    ['satellite', { roundTripMs: 650, lossPercent: 0, jitterMs: 10 }, 'poor'],
    ['breaking up', { roundTripMs: 40, lossPercent: 12, jitterMs: 10 }, 'poor'],
    ['late packets dropped', { roundTripMs: 40, lossPercent: 0, jitterMs: 90 }, 'poor'],
  ])('%s is %s', (_, measures, grade) => {
    expect(gradeLink(measures)).toBe(grade);
  });
});

describe('pathTypeOf', () => {
  it.each([
    ['host', 'host', 'direct'],
    ['host', 'prflx', 'direct'],
    ['srflx', 'host', 'server-reflexive'],
    ['prflx', 'srflx', 'server-reflexive'],
    ['host', 'relay', 'relay'],
    ['relay', 'host', 'relay'],
    [undefined, undefined, undefined],
  ])('local %s, remote %s: %s', (local, remote, path) => {
    expect(pathTypeOf(local, remote)).toBe(path);
  });
});

describe('deriveLinkQuality', () => {
  const at = (atMs: number, fields: Partial<LinkStatsSnapshot>): LinkStatsSnapshot => ({ atMs, ...fields });

  it.each<[string, LinkStatsSnapshot | undefined, LinkStatsSnapshot, Partial<LinkQuality>]>([
    [
      'first pass: loss over the whole call, no bitrate yet',
      undefined,
      at(0, { packetsReceived: 95, packetsLost: 5, bytesSent: 1000 }),
      { lossPercent: 5, grade: 'fair' },
    ],
    [
      'loss and bitrates over the last pass only',
      at(0, { packetsReceived: 1000, packetsLost: 100, bytesSent: 0, bytesReceived: 0 }),
      at(2000, { packetsReceived: 1100, packetsLost: 100, bytesSent: 8000, bytesReceived: 10_000 }),
      { lossPercent: 0, sendBitrateBps: 32_000, receiveBitrateBps: 40_000, grade: 'good' },
    ],
    [
      'counters that went backwards (a rebuilt connection) give no figure',
      at(0, { packetsReceived: 1000, packetsLost: 10, bytesReceived: 50_000 }),
      at(2000, { packetsReceived: 100, packetsLost: 0, bytesReceived: 4000 }),
      { grade: 'good' },
    ],
    ['no packets in the pass: loss unknown rather than 0 of 0', at(0, { packetsReceived: 7, packetsLost: 0 }), at(2000, { packetsReceived: 7, packetsLost: 0 }), { grade: 'good' }],
    [
      'round trip, jitter, path and codec pass through',
      undefined,
      at(0, { roundTripMs: 600, jitterMs: 3, localCandidateType: 'relay', codec: { mimeType: 'audio/opus' } }),
      { roundTripMs: 600, jitterMs: 3, path: 'relay', codec: { mimeType: 'audio/opus' }, grade: 'poor' },
    ],
  ])('%s', (_, previous, current, expected) => {
    expect(deriveLinkQuality(previous, current)).toEqual(expected);
  });
});

describe('LinkQualityMonitor', () => {
  function setup(hidden = false, forming = () => false) {
    const clock = new FakeClock(0);
    const counters = { packetsReceived: 0, packetsLost: 0, bytesReceived: 0, bytesSent: 0 };
    const seen: [string, LinkQuality][] = [];
    let calls = 0;
    const monitor = new LinkQualityMonitor({
      clock,
      hidden: () => hidden,
      forming,
      sources: () => [
        {
          userId: 'bob',
          getStats: async () => {
            calls++;
            return chromiumReport(counters);
          },
        },
      ],
      onQuality: (userId, quality) => seen.push([userId, quality]),
    });
    const pass = async (ms: number) => {
      clock.advance(ms);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    return { monitor, counters, seen, pass, calls: () => calls };
  }

  it('reports each link every two seconds with the bitrate of the last pass', async () => {
    const { monitor, counters, seen, pass, calls } = setup();
    monitor.start();
    await pass(QUALITY_INTERVAL_MS - 1);
    expect(calls()).toBe(0);
    await pass(1);
    Object.assign(counters, { packetsReceived: 100, bytesReceived: 8000, bytesSent: 6000 });
    await pass(QUALITY_INTERVAL_MS);
    expect(calls()).toBe(2);
    expect(seen.at(-1)).toEqual([
      'bob',
      expect.objectContaining({ grade: 'good', roundTripMs: 12, path: 'direct', receiveBitrateBps: 32_000, sendBitrateBps: 24_000 }),
    ]);
    monitor.stop();
    await pass(QUALITY_INTERVAL_MS * 3);
    expect(calls()).toBe(2);
  });

  it('leaves the links alone while another link forms, and looks again at the next pass after', async () => {
    let forming = true;
    const { monitor, seen, pass } = setup(false, () => forming);
    monitor.start();
    await pass(QUALITY_INTERVAL_MS * 2);
    expect(seen).toEqual([]);
    forming = false;
    await pass(QUALITY_INTERVAL_MS);
    expect(seen.map(([userId]) => userId)).toEqual(['bob']);
    monitor.stop();
  });

  it('looks far less often in a hidden tab', async () => {
    const { monitor, pass, calls } = setup(true);
    monitor.start();
    await pass(QUALITY_INTERVAL_MS * 4);
    expect(calls()).toBe(0);
    await pass(HIDDEN_QUALITY_INTERVAL_MS - QUALITY_INTERVAL_MS * 4);
    expect(calls()).toBe(1);
    monitor.stop();
  });
});
