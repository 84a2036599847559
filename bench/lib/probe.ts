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
 * held its main thread, in total: `blockedMs`.
 */
export const probeScript = (intervalMs: number): string => `(() => {
  const NativePC = window.RTCPeerConnection;
  const probe = { joinAt: null, firstAudio: [], noticed: [], blockedMs: 0 };
  window.__parleyBench = probe;
  const nativeSources = RTCRtpReceiver.prototype.getSynchronizationSources;
  RTCRtpReceiver.prototype.getSynchronizationSources = function () {
    const startedAt = performance.now();
    try {
      return nativeSources.call(this);
    } finally {
      probe.blockedMs += performance.now() - startedAt;
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
          probe.firstAudio.push(arrived !== null && arrived <= now ? arrived : now);
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
export type BenchProbe = { joinAt: number | null; firstAudio: number[]; noticed: number[]; blockedMs: number };
