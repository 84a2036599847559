/**
 * RIFF/WAVE reading for `--wav`: 16-bit PCM, any channel count and sample
 * rate, turned into the 48 kHz mono the bot sends. Pure functions; a file
 * that is not what we can play is a `{ok: false}` with a reason, never a throw.
 */

export type Wav = {
  sampleRate: number;
  channelCount: number;
  /** Interleaved 16-bit samples, `channelCount` per frame. */
  samples: Int16Array;
};

export type WavResult = { ok: true; wav: Wav } | { ok: false; message: string };

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

type Format = { formatTag: number; channelCount: number; sampleRate: number; bitsPerSample: number };

function readFormat(view: DataView, offset: number, size: number): Format | string {
  if (size < 16) return 'the fmt chunk is shorter than 16 bytes';
  let formatTag = view.getUint16(offset, true);
  // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
  if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 26) formatTag = view.getUint16(offset + 24, true);
  return {
    formatTag,
    channelCount: view.getUint16(offset + 2, true),
    sampleRate: view.getUint32(offset + 4, true),
    bitsPerSample: view.getUint16(offset + 14, true),
  };
}

/** Reads a RIFF/WAVE file holding 16-bit PCM. */
export function parseWav(bytes: Uint8Array): WavResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || fourCc(view, 0) !== 'RIFF' || fourCc(view, 8) !== 'WAVE') {
    return { ok: false, message: 'not a RIFF/WAVE file' };
  }
  let format: Format | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCc(view, offset);
    const declaredSize = view.getUint32(offset + 4, true);
    const start = offset + 8;
    // Writers that stream (sox to a pipe) leave the data size at its maximum: take what is there.
    const size = Math.min(declaredSize, bytes.byteLength - start);
    if (id === 'fmt ') {
      const read = readFormat(view, start, size);
      if (typeof read === 'string') return { ok: false, message: read };
      format = read;
    } else if (id === 'data') {
      if (!format) return { ok: false, message: 'the data chunk comes before any fmt chunk' };
      return toWav(format, view, start, size);
    }
    // Chunks are padded to an even length.
    offset = start + declaredSize + (declaredSize % 2);
  }
  return { ok: false, message: format ? 'no data chunk' : 'no fmt chunk' };
}

function toWav(format: Format, view: DataView, start: number, size: number): WavResult {
  if (format.formatTag !== WAVE_FORMAT_PCM) return { ok: false, message: `format ${format.formatTag} is not PCM` };
  if (format.bitsPerSample !== 16) return { ok: false, message: `${format.bitsPerSample}-bit samples; only 16-bit PCM is supported` };
  if (format.channelCount < 1) return { ok: false, message: 'no channels' };
  if (format.sampleRate < 1) return { ok: false, message: 'sample rate is 0' };
  const frameCount = Math.floor(size / (2 * format.channelCount));
  if (frameCount === 0) return { ok: false, message: 'no samples' };
  const samples = new Int16Array(frameCount * format.channelCount);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(start + 2 * i, true);
  return { ok: true, wav: { sampleRate: format.sampleRate, channelCount: format.channelCount, samples } };
}

/** Averages the channels of interleaved samples into one. */
export function downmix(samples: Int16Array, channelCount: number): Int16Array {
  if (channelCount === 1) return samples;
  const mono = new Int16Array(Math.floor(samples.length / channelCount));
  for (let frame = 0; frame < mono.length; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channelCount; channel++) sum += samples[frame * channelCount + channel] ?? 0;
    mono[frame] = Math.round(sum / channelCount);
  }
  return mono;
}

/**
 * Linear interpolation from one rate to another. The result lasts as long as
 * the input (rounded to a whole sample), so a loop of it keeps its rhythm.
 */
export function resampleLinear(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate || samples.length === 0) return samples;
  const out = new Int16Array(Math.max(1, Math.round((samples.length * toRate) / fromRate)));
  const step = fromRate / toRate;
  const last = samples.length - 1;
  for (let i = 0; i < out.length; i++) {
    const position = i * step;
    const index = Math.min(Math.floor(position), last);
    const fraction = position - index;
    const a = samples[index] ?? 0;
    const b = samples[Math.min(index + 1, last)] ?? 0;
    out[i] = Math.round(a + (b - a) * fraction);
  }
  return out;
}

/** The whole file as mono at `sampleRate`: what the bot loops. */
export function toMono(wav: Wav, sampleRate: number): Int16Array {
  return resampleLinear(downmix(wav.samples, wav.channelCount), wav.sampleRate, sampleRate);
}
