import { audioContext, untilRunning } from './audio-context';
import { openContextSpeaker, routeSink, type Routable } from './context-speaker';
import { restingContext } from './resting-context';

/** AudioContext.setSinkId (Chromium 110+), missing from older DOM typings. */
type RoutableContext = AudioContext & Routable;

/**
 * The AudioContext the room's sounds (someone joining, leaving, writing)
 * play on: one with the chosen speaker as its device, running only while a
 * sound rings (resting-context.ts).
 *
 * Not through the sound context's element (context-speaker.ts), as they
 * were: each sound then started the sinkless sound context and an <audio>
 * element playing its MediaStreamAudioDestinationNode (a media player in
 * the page, its own output stream in the audio service) and stopped both
 * again. bench:sounds, on an idle page: 37-47 ms of CPU a sound that way,
 * 21-29 ms on a context of their own. In a room of six, each join rings on
 * five pages just as the join's last links form. A context with a device
 * opens an output stream while it runs, as the element did, and none while
 * it rests. Where a context cannot be routed (no AudioContext.setSinkId:
 * Firefox), the sounds still go out through the element, which can: the
 * chosen speaker matters more.
 *
 * `interactive`, as the sound context: `playback` (the device's largest
 * buffers) was no cheaper in bench:sounds and less steady (single readings
 * two to four times the others).
 */
let speakerId = '';
/** The last switch of the context's speaker asked for; a sound waits for it. */
let routed: Promise<boolean> = Promise.resolve(true);
const cues = restingContext(() => {
  const context = new AudioContext({ latencyHint: 'interactive' });
  // Made on the first sound: on the speaker chosen so far before that sound's first note.
  if (speakerId !== '') routed = routeSink(context as RoutableContext, speakerId);
  return context;
});

/** Where one sound's notes go: `input` on `context`, once `ready` says it runs; `release` when they have rung. */
export type CueOutput = { context: AudioContext; input: AudioNode; ready: Promise<boolean>; release(): void };

/**
 * A way out for one sound, on the chosen speaker: the cue context, running
 * and routed once `ready` resolves true (false: it did not run within
 * `waitMs`, play nothing); the sound context's element where a context
 * cannot be routed.
 */
export function openCueOutput(waitMs: number): CueOutput | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  if (typeof (AudioContext.prototype as Partial<RoutableContext>).setSinkId === 'function') {
    const context = cues.context();
    if (!context) return undefined;
    const release = cues.holdRunning();
    const ready = Promise.all([untilRunning(context, waitMs), routed]).then(([running]) => running);
    return { context, input: context.destination, ready, release };
  }
  const context = audioContext();
  // The way out holds the sound context running (context-speaker.ts): a resting one runs for the sound.
  const speaker = context && openContextSpeaker();
  if (!context || !speaker) return undefined;
  const ready = untilRunning(context, waitMs).then((running) => {
    if (running) void speaker.play().catch(() => undefined);
    return running;
  });
  return { context, input: speaker.input, ready, release: speaker.release };
}

/** The room's sounds play on `id` ('' = the system default) from now on. */
export async function routeCues(id: string): Promise<void> {
  speakerId = id;
  const context = cues.made();
  if (!context) return;
  routed = routeSink(context as RoutableContext, id);
  await routed;
}
