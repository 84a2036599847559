/**
 * Page script for benchmarks: notes (in the page's own clock) when Join was
 * pressed and when each peer connection received its first audio byte, by
 * polling getStats every `intervalMs`. Loaded after the e2e instrumentation.
 * Polling is itself load: with 30 connections on two cores, 10 ms polling
 * slows the very thing it measures, so big meshes poll less often.
 */
export const probeScript = (intervalMs: number): string => `(() => {
  const NativePC = window.RTCPeerConnection;
  const probe = { joinAt: null, firstAudio: [] };
  window.__parleyBench = probe;
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
        report.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived || 0; });
        if (bytes > 0) { probe.firstAudio.push(performance.now()); return; }
        setTimeout(tick, ${intervalMs});
      };
      setTimeout(tick, ${intervalMs});
    }
  };
})();`;

export type BenchProbe = { joinAt: number | null; firstAudio: number[] };
