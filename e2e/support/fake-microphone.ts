import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SAMPLE_RATE = 48_000;
const TONE_HZ = 440;
/** A 100 ms tone, then 100 ms of silence, over and over. */
const PERIOD_MS = 200;
const TONE_MS = 100;

/**
 * The sound every test page's fake microphone plays (Chromium loops the file).
 *
 * Chromium's own fake microphone beeps only twice a second, so "is this person
 * heard?" could only be answered up to half a second late: a test measuring a
 * recovery in seconds would mostly measure the wait for the next beep. This
 * tone-and-silence pattern carries sound in every 200 ms window, while the
 * silences still exercise whatever treats quiet differently from speech.
 */
export function fakeMicrophoneWav(): string {
  const path = join(tmpdir(), `parley-fake-microphone-${TONE_HZ}hz-${TONE_MS}of${PERIOD_MS}ms.wav`);
  if (!existsSync(path)) writeFileSync(path, wav(pattern()));
  return path;
}

function pattern(): Int16Array {
  const samples = new Int16Array(SAMPLE_RATE); // one second; loops seamlessly since 200 ms divides it
  const period = (SAMPLE_RATE * PERIOD_MS) / 1000;
  const tone = (SAMPLE_RATE * TONE_MS) / 1000;
  for (let i = 0; i < samples.length; i++) {
    if (i % period < tone) samples[i] = Math.round(0.3 * 32767 * Math.sin((2 * Math.PI * TONE_HZ * i) / SAMPLE_RATE));
  }
  return samples;
}

/** A canonical 16-bit mono PCM WAV file. */
function wav(samples: Int16Array): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
