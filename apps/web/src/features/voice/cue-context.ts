import { routeElement, type Routable } from './context-speaker';
import { restingContext } from './resting-context';

/**
 * The AudioContext the room's sounds (someone joining, leaving, writing)
 * play on: one with the chosen speaker as its device, running only while a
 * sound rings (resting-context.ts).
 *
 * Not through the sound context's element (context-speaker.ts), as they
 * were: each sound then started the sinkless sound context and an <audio>
 * element playing its MediaStreamAudioDestinationNode (a media player in
 * the page, its own output stream in the audio service) and stopped both
 * again. Measured on an idle page in Chromium, 15 sounds each way, three
 * rounds: 860-920 ms of CPU across the browser's processes that way,
 * 490-720 ms on a context of their own (80 ms doing nothing). In a room of
 * six, each join rings on five pages just as the join's last links form.
 * A context with a device opens an output stream while it runs, as the
 * element did, and none while it rests.
 */
/** AudioContext.setSinkId (Chromium 110+), missing from older DOM typings. */
type RoutableContext = AudioContext & Routable;

const cues = restingContext(() => new AudioContext({ latencyHint: 'interactive' }));
let speakerId = '';
let routed: Promise<boolean> = Promise.resolve(true);

/** The context, made on first use (and put on the speaker chosen so far). */
export function cueContext(): AudioContext | undefined {
  const before = cues.made();
  const context = cues.context();
  if (context && !before && speakerId !== '') routed = routeElement(context as RoutableContext, speakerId);
  return context;
}

/** Settles once the context is on the chosen speaker, or could not be put there (then it plays on the default). */
export const cueRouted = (): Promise<boolean> => routed;

/** Keeps the context running until the returned release is called (once is enough). */
export const holdCues = cues.holdRunning;

/** The room's sounds play on `id` ('' = the system default) from now on. */
export async function routeCues(id: string): Promise<void> {
  speakerId = id;
  const context = cues.made();
  if (!context) return;
  routed = routeElement(context as RoutableContext, id);
  await routed;
}
