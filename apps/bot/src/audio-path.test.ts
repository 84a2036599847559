import { afterEach, describe, expect, it, vi } from 'vitest';
import { AudioMeter, type PeerAudio } from './audio-meter';
import { type AudioSignal, type Microphone, startMicrophone } from './audio-source';
import { realClock } from './node-environment';

// Real @roamhq/wrtc, no network: a meter listening straight to a generated microphone.
const running: Array<() => void> = [];
afterEach(() => {
  for (const stop of running.splice(0)) stop();
});

function listen(signal: AudioSignal): { microphone: Microphone; meter: AudioMeter } {
  const microphone = startMicrophone(signal, realClock);
  const meter = new AudioMeter(() => undefined);
  const track = microphone.stream.getAudioTracks()[0];
  if (!track) throw new Error('the microphone has no audio track');
  meter.attach('mic', track);
  running.push(() => {
    meter.stopAll();
    microphone.stop();
  });
  return { microphone, meter };
}

/** The interval from now until `frames` more frames have arrived. */
async function intervalOf(meter: AudioMeter, frames: number): Promise<PeerAudio> {
  await meter.take('mic');
  const start = meter.framesFrom('mic');
  await vi.waitFor(() => expect(meter.framesFrom('mic') - start).toBeGreaterThanOrEqual(frames), { timeout: 5_000, interval: 20 });
  return meter.take('mic');
}

describe('a generated microphone, as a meter hears it', () => {
  it('hears the tone at its level', async () => {
    const { meter } = listen({ kind: 'tone', frequencyHz: 440 });
    const heard = await intervalOf(meter, 40);
    expect(heard.hearing).toBe(true);
    // 0.3 of full scale, half of the time: 0.3 / sqrt(2) * sqrt(1/2) = 0.15.
    expect(heard.level).toBeGreaterThan(0.1);
    expect(heard.level).toBeLessThan(0.2);
  });

  it('hears silence as silence, though frames keep coming', async () => {
    const { meter } = listen({ kind: 'silence' });
    const heard = await intervalOf(meter, 40);
    expect(heard.frames).toBeGreaterThanOrEqual(40);
    expect(heard.hearing).toBe(false);
    expect(heard.level).toBe(0);
  });
});
