/**
 * Page script for benchmarks: notes (in the page's own clock) when Join was
 * pressed and when each peer connection received its first audio packet, by
 * polling getStats every `intervalMs`. The arrival is read from the stats
 * themselves (the last packet's arrival time less 20 ms per packet since the
 * first, Opus's frame), not from when the poll saw it: a poll waits behind
 * whatever the page's main thread is doing, the audio does not (seen: 35-60 ms
 * late on a page that was drawing its room). Where a browser gives no arrival
 * time, the poll's time stands. Loaded after the e2e instrumentation.
 * Polling is itself load: with 30 connections on two cores, 10 ms polling
 * slows the very thing it measures, so big meshes poll less often.
 * It also adds up how long the page's own synchronous reads of RTP sources
 * (`getSynchronizationSources`, a blocking call into the WebRTC worker thread)
 * held its main thread, in total: `blockedMs`, and each read that held it
 * 5 ms or more, with when it started: `blockingReads`.
 */
const MAX_BLOCKING_READS = 1000;

export const probeScript = (intervalMs: number): string => `(() => {
  const NativePC = window.RTCPeerConnection;
  const probe = { joinAt: null, firstAudio: [], noticed: [], blockedMs: 0, blockingReads: [], links: [] };
  window.__parleyBench = probe;
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
      const tick = async () => {
        if (pc.connectionState === 'closed') return;
        const report = await pc.getStats();
        let bytes = 0;
        let arrived = null;
        report.forEach((s) => {
          if (s.type !== 'inbound-rtp' || s.kind !== 'audio' || !s.bytesReceived) return;
          bytes += s.bytesReceived;
          // When the first packet arrived, on the stats' own clock (ms since the epoch): the last
          // packet's arrival less one 20 ms frame per packet since.
          if (typeof s.lastPacketReceivedTimestamp === 'number') arrived = s.lastPacketReceivedTimestamp - 20 * Math.max(0, (s.packetsReceived || 1) - 1) - performance.timeOrigin;
        });
        if (bytes > 0) {
          const now = performance.now();
          probe.noticed.push(now);
          link.audioAt = arrived !== null && arrived <= now ? arrived : now;
          probe.firstAudio.push(link.audioAt);
          return;
        }
        setTimeout(tick, ${intervalMs});
      };
      setTimeout(tick, ${intervalMs});
    }
  };
})();`;

/**
 * Page-clock milliseconds: when Join was pressed; when each connection's first audio packet
 * arrived (from its stats); when the polling page noticed it (later by however long the
 * page's main thread was busy, which the audio itself does not wait for). And the page's
 * synchronous RTP source reads so far: how long, in total, they held its main thread.
 */
export type BenchProbe = {
  joinAt: number | null;
  firstAudio: number[];
  noticed: number[];
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
