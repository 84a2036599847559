/**
 * What one link costs in upload while its sender is silent and while it
 * talks: Opus DTX (discontinuous transmission) should make a silent sender
 * send almost nothing (goal: under 5 kb/s), and the bitrate cap should bound
 * speech. Parley (Opus tuned for voice, packages/mesh/src/opus-voice.ts)
 * against the raw-WebRTC baseline (bench/baseline: Chromium's default Opus)
 * with the same microphone, in the same run.
 *
 * The microphone is a WAV played by Chromium's fake capture
 * (--use-file-for-fake-audio-capture): SILENCE_S of a faint noise floor, as a
 * quiet room gives a real microphone, then TALK_S of speech-like sound (a
 * voiced buzz whose pitch glides and whose loudness comes in syllables, with
 * short gaps), looped. Ada and Bob join one room; every WINDOW_MS the bench
 * reads Ada's outbound audio on her link to Bob (bytes and RTP headers sent)
 * and her microphone's energy (media-source totalAudioEnergy), so each window
 * is counted as silent or talking by what the microphone actually gave, not by
 * a clock that could drift from the file. Windows where the two meet are left
 * out. Silence before anyone spoke is reported apart: Opus's activity
 * detection learns the noise floor from speech, so until the first words a
 * quiet room is not yet "silent" to it.
 *
 * BENCH_SECONDS (default 40) per target; BENCH_SILENCE_S (8) and BENCH_TALK_S
 * (4) shape the file; BENCH_DEBUG=1 prints every window (s/t/m and kb/s).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions, newRoomId, type Person } from '@parley/e2e/support';
import { openBenchPerson, pressJoin, waitListed } from './lib/people';
import { waitFor } from './lib/stats';
import { startTargets, type Target } from './lib/targets';
import { loadAverage } from './lib/cpu';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 40);
const WINDOW_MS = 500;
const SILENCE_S = Number(process.env.BENCH_SILENCE_S ?? 8);
const TALK_S = Number(process.env.BENCH_TALK_S ?? 4);
const RATE = 48_000;

/** Energy per second (media-source totalAudioEnergy grows by mean square x seconds) above which a window is talking, below which silent. */
const TALKING_ENERGY_PER_S = 1e-3;
const SILENT_ENERGY_PER_S = 1e-5;

function speechLikeWav(): string {
  const samples = new Int16Array(RATE * (SILENCE_S + TALK_S));
  let phase = 0;
  let seed = 1;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  for (let i = 0; i < samples.length; i++) {
    const t = i / RATE;
    // A noise floor about 60 dB under full scale everywhere: no real microphone gives digital zero.
    let value = 0.002 * noise();
    if (t >= SILENCE_S) {
      const s = t - SILENCE_S;
      // Syllables about four a second, a short pause every 1.5 s; pitch gliding between 110 and 190 Hz.
      const syllable = Math.max(0, Math.sin(Math.PI * 4 * s)) ** 0.6;
      const pause = s % 1.5 > 1.3 ? 0 : 1;
      const pitch = 150 + 40 * Math.sin(2 * Math.PI * 0.7 * s);
      phase += (2 * Math.PI * pitch) / RATE;
      let voiced = 0;
      for (let h = 1; h <= 8; h++) voiced += Math.sin(h * phase) / h;
      value += 0.25 * syllable * pause * voiced + 0.02 * syllable * pause * noise();
    }
    samples[i] = Math.round(Math.max(-1, Math.min(1, value)) * 32767);
  }
  const data = Buffer.from(samples.buffer);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  const path = join(tmpdir(), `parley-bench-speech-${SILENCE_S}s-silence-${TALK_S}s-talk.wav`);
  writeFileSync(path, Buffer.concat([header, data]));
  return path;
}

/** Every RTCPeerConnection the page makes, for reading its outbound audio (instrument.js wraps the constructor first). */
const OUTBOUND_PROBE = `(() => {
  const pcs = [];
  const Observed = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Observed {
    constructor(...args) { super(...args); pcs.push(this); }
  };
  window.__opusBench = async () => {
    let bytes = 0, energy = 0, fmtp = null;
    for (const pc of pcs) {
      if (pc.connectionState !== 'connected') continue;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'audio') {
          bytes += (s.bytesSent || 0) + (s.headerBytesSent || 0);
          const codec = s.codecId ? report.get(s.codecId) : undefined;
          if (codec) fmtp = codec.sdpFmtpLine || null;
        }
        if (s.type === 'media-source' && s.kind === 'audio') energy = s.totalAudioEnergy || 0;
      });
    }
    return { bytes, energy, fmtp, at: performance.now() };
  };
})();`;

type Reading = { bytes: number; energy: number; fmtp: string | null; at: number };
type Rate = { kbps: number; seconds: number };
type Figures = { silentBeforeSpeech: Rate; silentBetweenSpeech: Rate; talking: Rate; fmtp: string | null };

const read = (person: Person) => person.page.evaluate(() => (window as unknown as { __opusBench(): Promise<Reading> }).__opusBench());

async function measure(browser: Browser, target: Target): Promise<Figures> {
  const room = newRoomId('bench-opus');
  const ada = await openBenchPerson(browser, target.baseUrl, 'Ada', room, { initScript: OUTBOUND_PROBE });
  const bob = await openBenchPerson(browser, target.baseUrl, 'Bob', room, { initScript: OUTBOUND_PROBE });
  try {
    await pressJoin(ada);
    await waitListed(ada);
    await pressJoin(bob);
    await waitListed(bob);
    await waitFor(async () => ((await read(ada)).bytes > 0 ? true : undefined), 20_000, `${target.name}: Ada sending`);
    const windows: { kind: 'silent' | 'talking' | 'mixed'; bytes: number; seconds: number }[] = [];
    let previous = await read(ada);
    const end = Date.now() + SECONDS * 1000;
    while (Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const now = await read(ada);
      const seconds = (now.at - previous.at) / 1000;
      const energyPerS = (now.energy - previous.energy) / seconds;
      const kind = energyPerS >= TALKING_ENERGY_PER_S ? 'talking' : energyPerS <= SILENT_ENERGY_PER_S ? 'silent' : 'mixed';
      windows.push({ kind, bytes: now.bytes - previous.bytes, seconds });
      previous = now;
    }
    if (process.env.BENCH_DEBUG) console.log(target.name, windows.map((w) => `${w.kind[0]}${Math.round((w.bytes * 8) / w.seconds / 1000)}`).join(' '));
    // A window next to one of the other kind may hold both: leave it out.
    const firstTalk = windows.findIndex((w) => w.kind === 'talking');
    const steady = windows
      .map((w, i) => ({ ...w, afterSpeech: firstTalk >= 0 && i > firstTalk }))
      .filter((w, i) => w.kind !== 'mixed' && windows[i - 1]?.kind === w.kind && windows[i + 1]?.kind === w.kind);
    const rate = (chosen: typeof steady) => {
      const seconds = chosen.reduce((sum, w) => sum + w.seconds, 0);
      return { kbps: (chosen.reduce((sum, w) => sum + w.bytes, 0) * 8) / 1000 / seconds, seconds };
    };
    return {
      silentBeforeSpeech: rate(steady.filter((w) => w.kind === 'silent' && !w.afterSpeech)),
      silentBetweenSpeech: rate(steady.filter((w) => w.kind === 'silent' && w.afterSpeech)),
      talking: rate(steady.filter((w) => w.kind === 'talking')),
      fmtp: previous.fmtp,
    };
  } finally {
    await ada.context.close();
    await bob.context.close();
  }
}

export async function benchOpusDtx(): Promise<void> {
  const wav = speechLikeWav();
  const options = chromiumLaunchOptions();
  const args = (options.args ?? []).filter((arg) => !arg.startsWith('--use-file-for-fake-audio-capture=')).concat(`--use-file-for-fake-audio-capture=${wav}`);
  const targets = await startTargets();
  const browser = await chromium.launch({ ...options, args, headless: true });
  try {
    console.log(`load before: ${loadAverage()}; ${SECONDS} s per target, ${SILENCE_S} s silence then ${TALK_S} s speech-like sound, looped`);
    for (const target of targets) {
      const f = await measure(browser, target);
      const name = target.name === 'parley' ? 'Parley  ' : 'baseline';
      const show = (r: Rate) => `${r.kbps.toFixed(1)} kb/s (${r.seconds.toFixed(1)} s)`;
      console.log(
        `${name} sent per link: silent before anyone spoke ${show(f.silentBeforeSpeech)}, silent between speech ${show(f.silentBetweenSpeech)}, talking ${show(f.talking)}`,
      );
      console.log(`${name} Opus parameters the sender encodes with: ${f.fmtp ?? 'unknown'}`);
    }
    console.log(`load after: ${loadAverage()}`);
  } finally {
    await browser.close();
    for (const target of targets) await target.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchOpusDtx();
}
