import { audioContext } from './audio-context';
import type { PlayableLike } from './audio-playback';

/**
 * How long a resume() may take before the context counts as held back by
 * the autoplay policy: Chromium neither starts nor rejects a context that
 * may not start yet, its promise just waits for a gesture.
 */
const RESUME_WAIT_MS = 300;

/**
 * One remote participant's way to the speaker:
 * stream -> MediaStreamAudioSourceNode -> GainNode -> the page's one
 * AudioContext's destination. The gain is that person's volume (0-2, so
 * above 100 % works), 0 while you are deafened or muted them for yourself.
 *
 * Chromium pulls a remote WebRTC stream into Web Audio only while the stream
 * also plays in a media element (crbug 933677; measured on Chromium 156:
 * without the element the gain node hears nothing), so the stage keeps
 * one, muted: the sound you hear is the gain node's. A side effect worth
 * knowing: with the element muted, that link's inbound-rtp stats report
 * audioLevel 0 and no totalAudioEnergy, because Chromium applies the
 * element's volume inside the receiver. Voice activity does not suffer (it
 * reads the sender's level from RTP sources); tests measure what is heard
 * after the gain stage (e2e/support/instrument.js). Without Web Audio (an
 * old browser) the element itself plays, with its volume capped at 100 %.
 *
 * `play()` makes the stage something AudioPlayback can start and retry:
 * it starts the element and then the context, and fails as the autoplay
 * policy does (NotAllowedError) while the context cannot run yet.
 */
export type PlaybackStage = PlayableLike & {
  setGain(gain: number): void;
  close(): void;
};

export function openPlaybackStage(stream: MediaStream, initialGain: number): PlaybackStage {
  const element = document.createElement('audio');
  element.autoplay = true;
  element.srcObject = stream;
  const context = audioContext();
  if (!context) {
    const stage = elementOnlyStage(element);
    stage.setGain(initialGain);
    return stage;
  }

  element.muted = true;
  const source = context.createMediaStreamSource(stream);
  const gain = context.createGain();
  gain.gain.value = initialGain;
  source.connect(gain);
  gain.connect(context.destination);

  return {
    async play() {
      await element.play();
      await startContext(context);
    },
    setGain(value) {
      // A short ramp: a jump in gain clicks.
      gain.gain.setTargetAtTime(value, context.currentTime, 0.015);
    },
    close() {
      source.disconnect();
      gain.disconnect();
      element.pause();
      element.srcObject = null;
    },
  };
}

function elementOnlyStage(element: HTMLAudioElement): PlaybackStage {
  return {
    play: () => element.play(),
    setGain(value) {
      element.muted = value === 0;
      element.volume = Math.min(1, Math.max(0, value));
    },
    close() {
      element.pause();
      element.srcObject = null;
    },
  };
}

async function startContext(context: AudioContext): Promise<void> {
  if (context.state === 'running') return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, RESUME_WAIT_MS);
  });
  await Promise.race([context.resume().catch(() => undefined), waited]);
  clearTimeout(timer);
  // `state` is typed from before the await; read it afresh.
  if ((context.state as AudioContextState) !== 'running') {
    throw new DOMException('The AudioContext was not allowed to start before a user gesture', 'NotAllowedError');
  }
}

/** AudioContext.setSinkId (Chromium 110+); typed here because not every DOM lib has it yet. */
type RoutableContext = AudioContext & { sinkId?: unknown; setSinkId?(sinkId: string): Promise<void> };

/**
 * Sends everything the page's context plays (remote voices, and the join and
 * leave sounds with them) to the speaker `speakerId` ('' = the system
 * default). A speaker that is gone falls back to the default. Returns
 * whether the audio now goes where asked; false where the browser cannot
 * choose (no AudioContext.setSinkId).
 */
export async function routePlaybackTo(speakerId: string): Promise<boolean> {
  const context = audioContext() as RoutableContext | undefined;
  if (!context?.setSinkId) return false;
  if (context.sinkId === speakerId) return true;
  try {
    await context.setSinkId(speakerId);
    return true;
  } catch (error) {
    console.warn('could not route sound to the chosen speaker', error);
    if (speakerId !== '' && context.sinkId !== '') await context.setSinkId('').catch(() => undefined);
    return false;
  }
}
