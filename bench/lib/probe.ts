/**
 * Page script for benchmarks: notes (in the page's own clock) when Join was
 * pressed and when each peer connection received its first audio packet.
 * A remote track is muted until its first packet arrives: its `unmute` is
 * when the connection's stats are read, and the arrival is read from the
 * stats themselves (the last packet's arrival time less 20 ms per packet
 * since the first, Opus's frame), not from when the page got round to it:
 * an event waits behind whatever the page's main thread is doing, the audio
 * does not. A slow poll of the stats stands behind the event, for a track
 * that never says so. Where a browser gives no arrival time, the read's time
 * stands. Loaded after the e2e instrumentation.
 * The probe is not polled, in the page or from the benchmark: polling every
 * connection's stats every 50 ms, and the benchmark reading each page every
 * 20 ms, loaded the very page being measured (see the README), and most of
 * all a newcomer answering five offers, whose WebRTC thread the stats reads
 * share. The benchmark waits in the page instead (`__parleyBenchWhenHeard`).
 * It also adds up how long the page's own synchronous reads of RTP sources
 * (`getSynchronizationSources`, a blocking call into the WebRTC worker thread)
 * held its main thread, in total: `blockedMs`, and each read that held it
 * 5 ms or more, with when it started: `blockingReads`.
 */
const MAX_BLOCKING_READS = 1000;

/** How often a connection whose audio has not been seen yet reads its stats anyway. */
const FALLBACK_POLL_MS = 1_000;
/** After an unmute whose stats show no packet yet, read again this soon, up to 20 times. */
const UNMUTE_RETRY_MS = 50;

export const probeScript = (): string => `(() => {
  const NativePC = window.RTCPeerConnection;
  const probe = { joinAt: null, firstAudio: [], blockedMs: 0, blockingReads: [], links: [] };
  window.__parleyBench = probe;
  // Resolves once count links' first audio arrived after afterWall (ms since the epoch; this
  // page's Join click when null): what a benchmark waits for, in the page.
  const waiters = new Set();
  const settle = (w) => {
    const after = w.afterWall === null ? probe.joinAt : w.afterWall - performance.timeOrigin;
    if (after === null || probe.firstAudio.filter((t) => t > after).length < w.count) return;
    waiters.delete(w);
    w.resolve(true);
  };
  window.__parleyBenchWhenHeard = (afterWall, count) =>
    new Promise((resolve) => {
      const w = { afterWall, count, resolve };
      waiters.add(w);
      settle(w);
    });
  const nativeSources = RTCRtpReceiver.prototype.getSynchronizationSources;
  RTCRtpReceiver.prototype.getSynchronizationSources = function () {
    const startedAt = performance.now();
    try {
      return nativeSources.call(this);
    } finally {
      const heldMs = performance.now() - startedAt;
      probe.blockedMs += heldMs;
      // The reads that held it 5 ms or more, the latest ${MAX_BLOCKING_READS}: when, during a join, the page waited.
      if (heldMs >= 5) {
        probe.blockingReads.push([startedAt, heldMs]);
        if (probe.blockingReads.length > ${MAX_BLOCKING_READS}) probe.blockingReads.shift();
      }
    }
  };
  document.addEventListener('click', (event) => {
    const target = event.target;
    if (target instanceof HTMLElement && target.closest('button') && target.closest('button').textContent.trim() === 'Join') {
      probe.joinAt = performance.now();
    }
  }, true);
  window.RTCPeerConnection = class extends NativePC {
    constructor(...args) {
      super(...args);
      const pc = this;
      // When this connection reached each step of its first negotiation (page clock): a slow join's
      // time, link by link. Events and wrapped calls only: no polling.
      const link = { createdAt: performance.now(), remoteAt: null, localAt: null, iceConnectedAt: null, connectedAt: null, audioAt: null };
      probe.links.push(link);
      const stamp = (key) => (value) => {
        if (link[key] === null) link[key] = performance.now();
        return value;
      };
      const nativeRemote = pc.setRemoteDescription.bind(pc);
      const nativeLocal = pc.setLocalDescription.bind(pc);
      pc.setRemoteDescription = (...a) => nativeRemote(...a).then(stamp('remoteAt'));
      pc.setLocalDescription = (...a) => nativeLocal(...a).then(stamp('localAt'));
      pc.addEventListener('iceconnectionstatechange', () => {
        if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') stamp('iceConnectedAt')();
      });
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'connected') stamp('connectedAt')();
      });
      // Whether the stats show audio arrived (once they did, link.audioAt says when its first packet did).
      const read = async () => {
        if (link.audioAt !== null || pc.connectionState === 'closed') return true;
        const report = await pc.getStats().catch(() => null);
        // Closed meanwhile: nothing more to hear on it.
        if (report === null) return true;
        let bytes = 0;
        let arrived = null;
        report.forEach((s) => {
          if (s.type !== 'inbound-rtp' || s.kind !== 'audio' || !s.bytesReceived) return;
          bytes += s.bytesReceived;
          // When the first packet arrived, on the stats' own clock (ms since the epoch): the last
          // packet's arrival less one 20 ms frame per packet since.
          if (typeof s.lastPacketReceivedTimestamp === 'number') arrived = s.lastPacketReceivedTimestamp - 20 * Math.max(0, (s.packetsReceived || 1) - 1) - performance.timeOrigin;
        });
        // A read that overlapped another (the unmute's and the poll's) finds it heard already.
        if (bytes === 0 || link.audioAt !== null) return link.audioAt !== null;
        const now = performance.now();
        link.audioAt = arrived !== null && arrived <= now ? arrived : now;
        probe.firstAudio.push(link.audioAt);
        waiters.forEach(settle);
        return true;
      };
      const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      pc.addEventListener('track', ({ track }) => {
        if (track.kind !== 'audio') return;
        const onFlow = async () => {
          for (let i = 0; i < 20 && !(await read()); i++) await later(${UNMUTE_RETRY_MS});
        };
        track.addEventListener('unmute', () => void onFlow());
        if (!track.muted) void onFlow();
      });
      const poll = async () => {
        while (!(await read())) await later(${FALLBACK_POLL_MS});
      };
      void later(${FALLBACK_POLL_MS}).then(poll);
    }
  };
})();`;

/**
 * Page-clock milliseconds: when Join was pressed; when each connection's first audio packet
 * arrived (from its stats), in the order the page saw them. And the page's
 * synchronous RTP source reads so far: how long, in total, they held its main thread.
 */
export type BenchProbe = {
  joinAt: number | null;
  firstAudio: number[];
  blockedMs: number;
  /** [started, ms held] of each read that held the main thread 5 ms or more, page clock; the latest 1000. */
  blockingReads: Array<[number, number]>;
  links: LinkSteps[];
};

/**
 * When one peer connection of the page reached each step of its first negotiation, page clock:
 * created, its first remote and local descriptions applied, ICE connected, connected (ICE and
 * DTLS), first audio packet; null until then.
 */
export type LinkSteps = {
  createdAt: number;
  remoteAt: number | null;
  localAt: number | null;
  iceConnectedAt: number | null;
  connectedAt: number | null;
  audioAt: number | null;
};
