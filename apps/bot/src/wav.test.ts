import { describe, expect, it } from 'vitest';
import { downmix, parseWav, resampleLinear, toMono } from './wav';

type WavSpec = { sampleRate?: number; channelCount?: number; bitsPerSample?: number; formatTag?: number; samples?: number[] };

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
}

function fmt({ sampleRate = 48_000, channelCount = 1, bitsPerSample = 16, formatTag = 1 }: WavSpec): Buffer {
  const extensible = formatTag === 0xfffe;
  const body = Buffer.alloc(extensible ? 40 : 16);
  body.writeUInt16LE(formatTag, 0);
  body.writeUInt16LE(channelCount, 2);
  body.writeUInt32LE(sampleRate, 4);
  body.writeUInt32LE((sampleRate * channelCount * bitsPerSample) / 8, 8);
  body.writeUInt16LE((channelCount * bitsPerSample) / 8, 12);
  body.writeUInt16LE(bitsPerSample, 14);
  if (extensible) {
    body.writeUInt16LE(22, 16);
    body.writeUInt16LE(1, 24); // KSDATAFORMAT_SUBTYPE_PCM starts with 0x0001
  }
  return chunk('fmt ', body);
}

function pcm(samples: number[]): Buffer {
  const body = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => body.writeInt16LE(sample, i * 2));
  return body;
}

function riff(...chunks: Buffer[]): Uint8Array {
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(body.length, 4);
  return new Uint8Array(Buffer.concat([header, body]));
}

function wav(spec: WavSpec = {}): Uint8Array {
  return riff(fmt(spec), chunk('data', pcm(spec.samples ?? [1, -2, 3])));
}

describe('parseWav', () => {
  it('reads mono 16-bit PCM', () => {
    expect(parseWav(wav({ sampleRate: 16_000, samples: [0, 1000, -1000, 32767] }))).toEqual({
      ok: true,
      wav: { sampleRate: 16_000, channelCount: 1, samples: new Int16Array([0, 1000, -1000, 32767]) },
    });
  });

  it('reads interleaved stereo and WAVE_FORMAT_EXTENSIBLE', () => {
    const result = parseWav(wav({ channelCount: 2, formatTag: 0xfffe, samples: [1, 2, 3, 4] }));
    expect(result).toEqual({ ok: true, wav: { sampleRate: 48_000, channelCount: 2, samples: new Int16Array([1, 2, 3, 4]) } });
  });

  it('skips other chunks, including odd-sized padded ones', () => {
    const info = chunk('LIST', Buffer.from('INFOabc', 'ascii'));
    const result = parseWav(riff(fmt({}), info, chunk('data', pcm([7, 8]))));
    expect(result).toMatchObject({ ok: true, wav: { samples: new Int16Array([7, 8]) } });
  });

  it('takes the samples there are when the data size was never filled in (a stream)', () => {
    const bytes = wav({ samples: [5, 6, 7] });
    const dataSizeOffset = bytes.length - 6 - 4;
    new DataView(bytes.buffer).setUint32(dataSizeOffset, 0xffffffff, true);
    expect(parseWav(bytes)).toMatchObject({ ok: true, wav: { samples: new Int16Array([5, 6, 7]) } });
  });

  it.each([
    ['not a RIFF/WAVE file', new Uint8Array(Buffer.from('ID3\u0004 an mp3 file'))],
    ['8-bit samples; only 16-bit PCM is supported', wav({ bitsPerSample: 8 })],
    ['format 3 is not PCM', wav({ formatTag: 3, bitsPerSample: 32 })],
    ['no data chunk', riff(fmt({}))],
    ['no fmt chunk', riff(chunk('LIST', Buffer.from('INFO', 'ascii')))],
    ['the data chunk comes before any fmt chunk', riff(chunk('data', pcm([1])), fmt({}))],
    ['no samples', wav({ samples: [] })],
  ])('refuses a file with %s', (message, bytes) => {
    expect(parseWav(bytes)).toEqual({ ok: false, message });
  });
});

describe('downmix', () => {
  it('averages the channels of each frame', () => {
    expect(downmix(new Int16Array([100, 300, -50, 50, 32767, 32767]), 2)).toEqual(new Int16Array([200, 0, 32767]));
  });

  it('leaves mono alone', () => {
    const mono = new Int16Array([1, 2]);
    expect(downmix(mono, 1)).toBe(mono);
  });
});

describe('resampleLinear', () => {
  it('interpolates between samples when upsampling', () => {
    expect(resampleLinear(new Int16Array([0, 100, 200]), 24_000, 48_000)).toEqual(new Int16Array([0, 50, 100, 150, 200, 200]));
  });

  it('keeps the duration, so a looped file keeps its rhythm', () => {
    expect(resampleLinear(new Int16Array(44_100), 44_100, 48_000)).toHaveLength(48_000);
    expect(resampleLinear(new Int16Array(8_000), 8_000, 48_000)).toHaveLength(48_000);
    expect(resampleLinear(new Int16Array(96_000), 96_000, 48_000)).toHaveLength(48_000);
  });

  it('keeps a tone at its pitch', () => {
    const oneSecondOf1kHz = sine(1000, 8_000, 8_000);
    // 1000 cycles: 2000 zero crossings, the last one just after the final sample.
    expect(crossings(oneSecondOf1kHz)).toBe(1999);
    expect(crossings(resampleLinear(oneSecondOf1kHz, 8_000, 48_000))).toBe(1999);
  });
});

function sine(frequencyHz: number, sampleRate: number, length: number): Int16Array {
  // Sampled half a step off the zero crossings, so no sample is exactly 0.
  return Int16Array.from({ length }, (_, n) => Math.round(10_000 * Math.sin((2 * Math.PI * frequencyHz * (n + 0.5)) / sampleRate)));
}

/** Sign changes along the samples; a sample of exactly 0 sits between two signs and counts for none. */
function crossings(samples: Int16Array): number {
  let count = 0;
  let sign = 0;
  for (const sample of samples) {
    if (sample === 0) continue;
    if (sign !== 0 && Math.sign(sample) !== sign) count++;
    sign = Math.sign(sample);
  }
  return count;
}

describe('toMono', () => {
  it('downmixes, then resamples to the rate asked for', () => {
    const stereo = { sampleRate: 24_000, channelCount: 2, samples: new Int16Array([0, 0, 100, 300]) };
    expect(toMono(stereo, 48_000)).toEqual(new Int16Array([0, 100, 200, 200]));
  });
});
