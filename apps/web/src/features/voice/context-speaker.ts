import { audioContext, holdRunning } from './audio-context';

/** What can be pointed at a speaker: a media element, or an AudioContext with a device (cue-context.ts). */
export type Routable = { setSinkId?(sinkId: string): Promise<void> };
type SinkElement = HTMLAudioElement & Routable;

/** One user of the context's way out: connect to `input`, `play()` from a gesture or after one, `release()` when done. */
export type ContextSpeakerUse = {
  input: AudioNode;
  /** Starts the element; rejects as the autoplay policy does (NotAllowedError) without a gesture. */
  play(): Promise<void>;
  release(): void;
};

/**
 * What the page's AudioContext for sound makes audible (a voice turned up
 * past 100 %) leaves through here: one MediaStreamAudioDestinationNode,
 * played by one <audio> element on the chosen speaker. The context itself
 * plays to no device (audio-context.ts). The element plays only while
 * something uses it, so a call where nobody is boosted has a single output
 * stream: the one
 * Chromium mixes every remote voice's element into. Each use also holds
 * the context running, which otherwise rests (audio-context.ts): what goes
 * out here is heard.
 */
let out: { node: MediaStreamAudioDestinationNode; element: SinkElement; users: number; routed: Promise<boolean> } | undefined;
let speakerId = '';

export function openContextSpeaker(): ContextSpeakerUse | undefined {
  const context = audioContext();
  if (!context) return undefined;
  if (!out) {
    const node = context.createMediaStreamDestination();
    const element = new Audio();
    out = { node, element, users: 0, routed: routeSink(element, speakerId) };
  }
  const current = out;
  current.users++;
  if (current.element.srcObject !== current.node.stream) current.element.srcObject = current.node.stream;
  const releaseHold = holdRunning();
  let released = false;
  return {
    input: current.node,
    // On the chosen speaker from its first sound, not the default's for a moment.
    play: async () => {
      await current.routed;
      await current.element.play();
    },
    release() {
      if (released) return;
      released = true;
      releaseHold();
      current.users--;
      if (current.users === 0) {
        current.element.pause();
        // A detached element keeps its stream (and its output) until told otherwise.
        current.element.srcObject = null;
      }
    },
  };
}

/** Sends the context's sound to `id` ('' = the system default), now and for every later use. */
export async function routeContextSpeaker(id: string): Promise<void> {
  speakerId = id;
  if (!out) return;
  out.routed = routeSink(out.element, id);
  await out.routed;
}

/** Per element (or context): the last switch asked for (switches run one at a time). */
const routes = new WeakMap<Routable, { done: Promise<boolean> }>();

/**
 * Points `sink` (a media element, or a context that plays to a device)
 * at the speaker `id`. A speaker that is gone falls back to
 * the default; returns whether the sound now goes where asked (false too
 * where the browser cannot choose: no setSinkId). Switches
 * run one after another and only the last one asked for is made: a quick
 * default -> B -> default ends on the default, whatever order they finish in.
 */
export function routeSink(sink: Routable, id: string): Promise<boolean> {
  const previous = routes.get(sink);
  const route = { done: Promise.resolve(false) };
  route.done = (previous?.done ?? Promise.resolve(true)).then(() => (routes.get(sink) === route ? switchSink(sink, id) : false));
  routes.set(sink, route);
  return route.done;
}

async function switchSink(sink: Routable, id: string): Promise<boolean> {
  if (!sink.setSinkId) return id === '';
  if ((sink as { sinkId?: string }).sinkId === id) return true;
  try {
    await sink.setSinkId(id);
    return true;
  } catch (error) {
    console.warn('could not route sound to the chosen speaker', error);
    if (id !== '') await sink.setSinkId('').catch(() => undefined);
    return false;
  }
}
