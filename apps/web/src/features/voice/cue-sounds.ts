import { audioContext, resting } from './audio-context';
import { openCueOutput, type CueOutput } from './cue-context';

/** What just happened in the room that is worth a short sound. */
export type Cue = 'join' | 'leave' | 'message';

/** A note: pitch, start after the cue begins, and how long it rings. */
type Note = { hz: number; atMs: number; lengthMs: number };

/**
 * Each cue is a couple of soft sine notes, so no sound files are loaded:
 * someone coming in rises (E5 to A5), someone going falls (A5 to E5), and
 * a message is one high, shorter note. Quiet on purpose: it sits under
 * the voices in the room.
 */
const CUES: Record<Cue, Note[]> = {
  join: [
    { hz: 659.25, atMs: 0, lengthMs: 140 },
    { hz: 880, atMs: 110, lengthMs: 220 },
  ],
  leave: [
    { hz: 880, atMs: 0, lengthMs: 140 },
    { hz: 659.25, atMs: 110, lengthMs: 220 },
  ],
  message: [{ hz: 1174.66, atMs: 0, lengthMs: 160 }],
};

/** Peak gain of a note; a full-scale sine would be 1. */
const PEAK = 0.08;
const ATTACK_S = 0.012;

/** How long the context runs after a cue's last note: its tail. */
const TAIL_MS = 300;

/** How long a cue waits for the resting context to run; later, it is not played. */
const RESUME_WAIT_MS = 1_000;

/**
 * Plays `cue` on the chosen speaker, out of a way kept for the room's
 * sounds (cue-context.ts), which runs just for the cue. Each note is an
 * oscillator under a gain envelope (a quick rise, then an exponential
 * fall, so it ends without a click) and disconnects itself when done. Does
 * nothing while the page's audio cannot run: the sound context is held
 * back until a user gesture (audio-context.ts), and any context made
 * before one would be too.
 */
export function playCue(cue: Cue): void {
  const page = audioContext();
  if (!page || (page.state !== 'running' && !resting())) return;
  const output = openCueOutput(RESUME_WAIT_MS);
  if (!output) return;
  void output.ready.then((running) => (running ? sound(cue, output) : output.release()));
}

/** The cue's notes into `output`, which runs; released once they have rung. */
function sound(cue: Cue, output: CueOutput): void {
  const { context, input } = output;
  const notes = CUES[cue];
  const lengthMs = Math.max(...notes.map((note) => note.atMs + note.lengthMs));
  setTimeout(() => output.release(), lengthMs + TAIL_MS);
  // A moment for the output to start, so the first note is not clipped.
  const start = context.currentTime + 0.05;
  for (const note of notes) {
    const begin = start + note.atMs / 1000;
    const end = begin + note.lengthMs / 1000;
    const oscillator = context.createOscillator();
    oscillator.type = 'sine';
    oscillator.frequency.value = note.hz;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0, begin);
    gain.gain.linearRampToValueAtTime(PEAK, begin + ATTACK_S);
    gain.gain.exponentialRampToValueAtTime(0.0001, end);
    oscillator.connect(gain).connect(input);
    oscillator.onended = () => gain.disconnect();
    oscillator.start(begin);
    oscillator.stop(end);
  }
}
