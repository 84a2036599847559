/**
 * What a person would want to know about one audio link, read from its
 * RTCPeerConnection's stats: how long a word takes to get there and back,
 * how much is lost, how unsteady the arrival is, which way the packets go,
 * the codec, and how many bits flow each way. Pure: a report and the
 * previous snapshot in, plain numbers out.
 */

/** How the selected ICE path runs, in the words the details view uses. */
export type PathType = 'direct' | 'server-reflexive' | 'relay';

export type QualityGrade = 'good' | 'fair' | 'poor';

export type CodecInfo = { mimeType: string; clockRateHz?: number; channels?: number };

/** One stats report boiled down to the counters and facts quality is derived from. */
export type LinkStatsSnapshot = {
  /** When the report was read (the monitor's clock), for bitrates. */
  atMs: number;
  roundTripMs?: number;
  jitterMs?: number;
  /** Cumulative counters of the inbound audio (inbound-rtp). */
  packetsReceived?: number;
  packetsLost?: number;
  bytesReceived?: number;
  /** Cumulative bytes of our outbound audio (outbound-rtp). */
  bytesSent?: number;
  localCandidateType?: string;
  remoteCandidateType?: string;
  codec?: CodecInfo;
};

/** The link as the quality indicator shows it: plain numbers, nothing live. */
export type LinkQuality = {
  grade: QualityGrade;
  roundTripMs?: number;
  lossPercent?: number;
  jitterMs?: number;
  path?: PathType;
  codec?: CodecInfo;
  sendBitrateBps?: number;
  receiveBitrateBps?: number;
};

/**
 * The thresholds behind good / fair / poor. A conversation feels natural
 * below about 300 ms of round trip (ITU-T G.114 puts the one-way limit for
 * most users at 150 ms) and awkward past 500 ms; Opus with in-band FEC hides
 * a couple of per cent of loss, speech breaks up audibly past about 8 %;
 * jitter above 30 ms makes the jitter buffer grow (delay), above 75 ms it
 * starts dropping late packets. Good needs all three under the first mark;
 * poor is any one past the second; everything between is fair.
 */
export const QUALITY_THRESHOLDS = {
  good: { roundTripMs: 300, lossPercent: 2, jitterMs: 30 },
  poor: { roundTripMs: 500, lossPercent: 8, jitterMs: 75 },
} as const;

/** A measure not known yet (no packets so far) does not count against the link. */
export function gradeLink(measures: Pick<LinkQuality, 'roundTripMs' | 'lossPercent' | 'jitterMs'>): QualityGrade {
  const { good, poor } = QUALITY_THRESHOLDS;
  const { roundTripMs = 0, lossPercent = 0, jitterMs = 0 } = measures;
  if (roundTripMs > poor.roundTripMs || lossPercent > poor.lossPercent || jitterMs > poor.jitterMs) return 'poor';
  if (roundTripMs < good.roundTripMs && lossPercent < good.lossPercent && jitterMs < good.jitterMs) return 'good';
  return 'fair';
}

function numberField(stat: Record<string, unknown>, field: string): number | undefined {
  const value = stat[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringField(stat: Record<string, unknown>, field: string): string | undefined {
  const value = stat[field];
  return typeof value === 'string' ? value : undefined;
}

function add(total: number | undefined, value: number | undefined): number | undefined {
  return value === undefined ? total : (total ?? 0) + value;
}

/** What readLinkStats needs of an RTCStatsReport (entries are looked up by their `id`): a test's Map does as well. */
export type StatsReportLike = { forEach(callback: (stat: unknown) => void): void };

type Stat = Record<string, unknown>;

function asStat(value: unknown): Stat | undefined {
  return typeof value === 'object' && value !== null ? (value as Stat) : undefined;
}

/**
 * The selected candidate pair: the transport names it; where it does not
 * (Firefox), the pair flagged `selected`, else a nominated succeeded one.
 */
function selectedPair(byId: Map<unknown, Stat>, stats: Stat[]): Stat | undefined {
  for (const stat of stats) {
    const id = stat.type === 'transport' ? stringField(stat, 'selectedCandidatePairId') : undefined;
    const pair = id === undefined ? undefined : byId.get(id);
    if (pair) return pair;
  }
  const pairs = stats.filter((stat) => stat.type === 'candidate-pair');
  return pairs.find((pair) => pair.selected === true) ?? pairs.find((pair) => pair.nominated === true && pair.state === 'succeeded');
}

/** Stats entries are untyped dictionaries: every field is checked before use. */
export function readLinkStats(report: StatsReportLike, atMs: number): LinkStatsSnapshot {
  const stats: Stat[] = [];
  report.forEach((value: unknown) => {
    const stat = asStat(value);
    if (stat) stats.push(stat);
  });
  const byId = new Map(stats.map((stat) => [stat.id, stat]));
  const snapshot: LinkStatsSnapshot = { atMs };
  let codecId: string | undefined;
  let remoteInboundRtt: number | undefined;
  for (const stat of stats) {
    if (stat.kind !== 'audio') continue;
    if (stat.type === 'inbound-rtp') {
      snapshot.packetsReceived = add(snapshot.packetsReceived, numberField(stat, 'packetsReceived'));
      snapshot.packetsLost = add(snapshot.packetsLost, numberField(stat, 'packetsLost'));
      snapshot.bytesReceived = add(snapshot.bytesReceived, numberField(stat, 'bytesReceived'));
      const jitter = numberField(stat, 'jitter');
      if (jitter !== undefined) snapshot.jitterMs = Math.max(snapshot.jitterMs ?? 0, jitter * 1000);
      codecId ??= stringField(stat, 'codecId');
    } else if (stat.type === 'outbound-rtp') {
      snapshot.bytesSent = add(snapshot.bytesSent, numberField(stat, 'bytesSent'));
      codecId ??= stringField(stat, 'codecId');
    } else if (stat.type === 'remote-inbound-rtp') {
      remoteInboundRtt ??= numberField(stat, 'roundTripTime');
    }
  }
  const pair = selectedPair(byId, stats);
  const pairRtt = pair ? numberField(pair, 'currentRoundTripTime') : undefined;
  const rttSeconds = pairRtt ?? remoteInboundRtt;
  if (rttSeconds !== undefined) snapshot.roundTripMs = rttSeconds * 1000;
  if (pair) {
    const local = byId.get(stringField(pair, 'localCandidateId'));
    const remote = byId.get(stringField(pair, 'remoteCandidateId'));
    const localType = local && stringField(local, 'candidateType');
    const remoteType = remote && stringField(remote, 'candidateType');
    if (localType) snapshot.localCandidateType = localType;
    if (remoteType) snapshot.remoteCandidateType = remoteType;
  }
  const codec = codecId === undefined ? undefined : byId.get(codecId);
  const mimeType = codec && stringField(codec, 'mimeType');
  if (codec && mimeType) {
    snapshot.codec = { mimeType };
    const clockRateHz = numberField(codec, 'clockRate');
    const channels = numberField(codec, 'channels');
    if (clockRateHz !== undefined) snapshot.codec.clockRateHz = clockRateHz;
    if (channels !== undefined) snapshot.codec.channels = channels;
  }
  return snapshot;
}

/**
 * Relay when either end relays (every packet crosses a TURN server).
 * Otherwise our own end decides: a remote candidate is often peer-reflexive
 * only because the peer's check arrived before its candidate did, which
 * says nothing about a NAT; our local candidate is how packets leave here.
 */
export function pathTypeOf(localType: string | undefined, remoteType: string | undefined): PathType | undefined {
  if (localType === 'relay' || remoteType === 'relay') return 'relay';
  if (localType === 'srflx' || localType === 'prflx') return 'server-reflexive';
  if (localType === 'host') return 'direct';
  return undefined;
}

/** A counter's growth since the previous snapshot; undefined when either is unknown or it went backwards (a rebuilt link). */
function growth(current: number | undefined, previous: number | undefined): number | undefined {
  if (current === undefined || previous === undefined || current < previous) return undefined;
  return current - previous;
}

function bitrateBps(bytes: number | undefined, elapsedMs: number): number | undefined {
  return bytes === undefined || elapsedMs <= 0 ? undefined : Math.round((bytes * 8 * 1000) / elapsedMs);
}

/**
 * Loss and bitrates over the time since `previous` (the last pass); loss
 * over the whole call on the first pass, bitrates only from the second.
 */
export function deriveLinkQuality(previous: LinkStatsSnapshot | undefined, current: LinkStatsSnapshot): LinkQuality {
  const elapsedMs = previous ? current.atMs - previous.atMs : 0;
  const lost = previous ? growth(current.packetsLost, previous.packetsLost) : current.packetsLost;
  const received = previous ? growth(current.packetsReceived, previous.packetsReceived) : current.packetsReceived;
  const expected = (lost ?? 0) + (received ?? 0);
  const measures: Omit<LinkQuality, 'grade'> = {};
  if (current.roundTripMs !== undefined) measures.roundTripMs = current.roundTripMs;
  // Duplicates can make packetsLost shrink: never below zero.
  if (lost !== undefined && received !== undefined && expected > 0) measures.lossPercent = (Math.max(0, lost) / expected) * 100;
  if (current.jitterMs !== undefined) measures.jitterMs = current.jitterMs;
  const path = pathTypeOf(current.localCandidateType, current.remoteCandidateType);
  if (path) measures.path = path;
  if (current.codec) measures.codec = current.codec;
  const send = bitrateBps(growth(current.bytesSent, previous?.bytesSent), elapsedMs);
  const receive = bitrateBps(growth(current.bytesReceived, previous?.bytesReceived), elapsedMs);
  if (send !== undefined) measures.sendBitrateBps = send;
  if (receive !== undefined) measures.receiveBitrateBps = receive;
  return { grade: gradeLink(measures), ...measures };
}
