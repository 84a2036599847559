/**
 * Opus as Parley wants it for voice, written into a description's fmtp line:
 *
 * - `usedtx=1`: discontinuous transmission. A silent sender sends a small
 *   comfort-noise frame every 400 ms instead of 50 full frames a second, so a
 *   room of people who mostly listen costs almost nothing.
 *   The tests' and benchmarks' microphone (a tone 100 ms of every 200,
 *   e2e/support/fake-microphone.ts) never lets DTX start: a listener gets
 *   50.5 packets a second from Parley as from the baseline, which has no DTX,
 *   so joins timed to the first audio byte are not delayed by it. A build
 *   with DTX off, run against this one, was no faster (sixth joiners into a
 *   settled call, medians of 8 in one bench:mesh run on two cores: 3410 ms
 *   against 2390 ms, the spread of two builds that send alike).
 * - `useinbandfec=1`: each packet carries a coarse copy of the one before, so
 *   a single lost packet is rebuilt instead of concealed.
 * - `maxaveragebitrate`: a cap for speech. Opus is near transparent for a
 *   voice at 24-32 kb/s; more buys nothing a listener hears and costs upload
 *   on every link of the mesh.
 * - `stereo=0; sprop-stereo=0`: one microphone, one channel.
 *
 * Opus parameters say what the description's author wants to RECEIVE, and
 * Chromium's encoder follows the REMOTE description. So each side applies
 * this to the description it receives before setRemoteDescription: its own
 * encoder then sends DTX, FEC and at most the cap to the peer. (Munging our
 * own local description would tune the peer's encoder instead, and browsers
 * here make their descriptions implicitly.)
 */
export const OPUS_VOICE_PARAMETERS: Readonly<Record<string, string>> = {
  usedtx: '1',
  useinbandfec: '1',
  maxaveragebitrate: '32000',
  stereo: '0',
  'sprop-stereo': '0',
};

/**
 * `sdp` with OPUS_VOICE_PARAMETERS set on every Opus payload type (other
 * parameters kept, in their order); a description without Opus comes back
 * unchanged. Pure: no browser needed.
 */
export function tuneOpusForVoice(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const opus = new Set<string>();
  for (const line of lines) {
    const match = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
    if (match?.[1] !== undefined) opus.add(match[1]);
  }
  if (opus.size === 0) return sdp;
  const withFmtp = new Set<string>();
  const tuned = lines.map((line) => {
    const match = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!match || match[1] === undefined || !opus.has(match[1])) return line;
    withFmtp.add(match[1]);
    return `a=fmtp:${match[1]} ${withVoiceParameters(match[2] ?? '')}`;
  });
  // An Opus payload type without parameters gets a line of its own, right after its rtpmap.
  return tuned
    .flatMap((line) => {
      const pt = /^a=rtpmap:(\d+) opus\/48000/i.exec(line)?.[1];
      return pt !== undefined && !withFmtp.has(pt) ? [line, `a=fmtp:${pt} ${withVoiceParameters('')}`] : [line];
    })
    .join(eol);
}

function withVoiceParameters(parameters: string): string {
  const entries = parameters
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const at = p.indexOf('=');
      return at < 0 ? ([p, ''] as const) : ([p.slice(0, at), p.slice(at + 1)] as const);
    });
  const merged = new Map<string, string>(entries);
  for (const [key, value] of Object.entries(OPUS_VOICE_PARAMETERS)) merged.set(key, value);
  return [...merged].map(([key, value]) => (value === '' ? key : `${key}=${value}`)).join(';');
}
