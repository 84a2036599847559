import { audioContext, resumeAudio, holdRunning } from './audio-context';
import { routeSink } from './context-speaker';

/** A sound playing on a chosen speaker; stop() silences it and lets the element go. */
export type SpeakerPlayback = { stop(): void };

/**
 * Plays `stream` on the speaker `speakerId` ('' is the system default)
 * through a detached <audio> element of its own: not the context's way out
 * (context-speaker.ts), which plays on the chosen speaker, while this one
 * plays on the speaker being tried.
 */
export function playOnSpeaker(stream: MediaStream, speakerId: string): SpeakerPlayback {
  const element = new Audio();
  element.srcObject = stream;
  let stopped = false;
  void routeSink(element, speakerId).then(() => (stopped ? undefined : element.play().catch(() => undefined)));
  return {
    stop: () => {
      stopped = true;
      element.pause();
      // A detached element keeps its stream (and the tab's "playing" state) until told otherwise.
      element.srcObject = null;
    },
  };
}

/** The notes of the test sound: a rising major third, soft attack and release, about 0.7 s. */
const TEST_NOTES = [
  { hz: 659.25, at: 0, seconds: 0.32 },
  { hz: 830.61, at: 0.3, seconds: 0.4 },
] as const;

/** A short pleasant chime on the chosen speaker, made with Web Audio on the page's context for sound. Call from a click. */
export function playTestSound(speakerId: string): SpeakerPlayback | undefined {
  const context = audioContext();
  if (!context) return undefined;
  resumeAudio();
  // Heard through the context: it runs for the sound (audio-context.ts), from before its notes start.
  const release = holdRunning();
  const destination = context.createMediaStreamDestination();
  const start = context.currentTime + 0.05;
  const nodes: AudioNode[] = [];
  for (const note of TEST_NOTES) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = note.hz;
    const from = start + note.at;
    gain.gain.setValueAtTime(0, from);
    gain.gain.linearRampToValueAtTime(0.25, from + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.001, from + note.seconds);
    oscillator.connect(gain).connect(destination);
    oscillator.start(from);
    oscillator.stop(from + note.seconds + 0.05);
    nodes.push(oscillator, gain);
  }
  const playback = playOnSpeaker(destination.stream, speakerId);
  const stop = () => {
    release();
    playback.stop();
    for (const node of nodes) node.disconnect();
    for (const track of destination.stream.getTracks()) track.stop();
  };
  const timer = setTimeout(stop, 1_000);
  return {
    stop: () => {
      clearTimeout(timer);
      stop();
    },
  };
}
