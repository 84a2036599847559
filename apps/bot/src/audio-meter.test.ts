import { describe, expect, it } from 'vitest';
import { energy, inboundAudioBytes, LevelWindow } from './audio-meter';

const fullScaleSine = Int16Array.from({ length: 480 }, (_, n) => Math.round(32767 * Math.sin((2 * Math.PI * n) / 48)));

describe('LevelWindow', () => {
  it('measures the RMS of everything added since the last take', () => {
    const window = new LevelWindow();
    window.add(fullScaleSine);
    expect(window.take()).toBeCloseTo(Math.SQRT1_2, 3);
    window.add(fullScaleSine);
    window.add(new Int16Array(480));
    expect(window.take()).toBeCloseTo(0.5, 3);
  });

  it('is 0 when nothing arrived', () => {
    const window = new LevelWindow();
    window.add(new Int16Array(480).fill(1000));
    window.take();
    expect(window.take()).toBe(0);
  });
});

describe('energy', () => {
  it('is 0 for digital silence', () => {
    expect(energy(new Int16Array(480))).toEqual({ sumSquares: 0, count: 480 });
  });
});

describe('inboundAudioBytes', () => {
  it('sums the bytes of inbound audio RTP streams only', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['a', { type: 'inbound-rtp', kind: 'audio', bytesReceived: 1200 }],
      ['b', { type: 'inbound-rtp', mediaType: 'audio', bytesReceived: 34 }],
      ['c', { type: 'inbound-rtp', kind: 'video', bytesReceived: 99_999 }],
      ['d', { type: 'outbound-rtp', kind: 'audio', bytesSent: 5000 }],
      ['e', { type: 'transport', bytesReceived: 77_777 }],
    ]);
    expect(inboundAudioBytes(report as unknown as RTCStatsReport)).toBe(1234);
  });
});
