/** Audio levels read from one RTCPeerConnection's stats. */
export type AudioLevels = {
  /** Level of the audio we receive (inbound-rtp, kind audio). */
  inbound?: number;
  /** Level of our own microphone as this connection sends it (media-source, kind audio). */
  local?: number;
  /** Audio bytes received so far (inbound-rtp, kind audio): growing while the path is alive. */
  inboundBytes?: number;
};

function numberField(stat: unknown, field: string): number | undefined {
  const value = (stat as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringField(stat: unknown, field: string): string | undefined {
  const value = (stat as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/** Pick the audio levels out of a stats report; stats entries are untyped, so check every field. */
export function readAudioLevels(report: RTCStatsReport): AudioLevels {
  const levels: AudioLevels = {};
  report.forEach((stat: unknown) => {
    if (typeof stat !== 'object' || stat === null) return;
    const type = stringField(stat, 'type');
    const kind = stringField(stat, 'kind');
    const bytes = numberField(stat, 'bytesReceived');
    if (type === 'inbound-rtp' && kind === 'audio' && bytes !== undefined) {
      levels.inboundBytes = (levels.inboundBytes ?? 0) + bytes;
    }
    const level = numberField(stat, 'audioLevel');
    if (kind !== 'audio' || level === undefined) return;
    if (type === 'inbound-rtp') levels.inbound = Math.max(levels.inbound ?? 0, level);
    else if (type === 'media-source') levels.local = Math.max(levels.local ?? 0, level);
  });
  return levels;
}
