import { audioContext } from './audio-context';
import type { PlayableLike } from './audio-playback';
import { openContextSpeaker, routeSink, type ContextSpeakerUse } from './context-speaker';

/**
 * How long a resume() may take before the context counts as held back by
 * the autoplay policy: Chromium neither starts nor rejects a context that
 * may not start yet, its promise just waits for a gesture.
 */
const RESUME_WAIT_MS = 300;

/**
 * One remote participant's way to the speaker: an <audio> element playing
 * their stream on the chosen speaker, at the volume you chose for them
 * (muted at 0 %, while you are deafened or muted them for yourself). Every
 * remote voice an element plays goes out through one output stream, which
 * Chromium's WebRTC mixer feeds, as on a plain WebRTC page; and Chromium
 * applies the element's volume inside the receiver, so the link's
 * inbound-rtp stats (audioLevel, totalAudioEnergy) measure what you hear.
 *
 * Above 100 %, where an element cannot go, the voice takes Web Audio:
 * stream -> MediaStreamAudioSourceNode -> GainNode -> the context's way out
 * (context-speaker.ts). The element keeps playing, and is muted only once
 * the boosted sound does play: Chromium pulls a remote stream into Web
 * Audio only while it plays in a media element (crbug 933677), and until
 * the boost sounds (the page may not start its AudioContext yet), the voice
 * stays at 100 % rather than going silent. Back at 100 % or below, the
 * boost's way out is let go.
 *
 * `play()` makes the stage something AudioPlayback can start and retry: it
 * fails as the autoplay policy does (NotAllowedError) while the page may
 * not play sound yet, the element's or the boost's.
 */
export type PlaybackStage = PlayableLike & {
  setGain(gain: number): void;
  setSpeaker(speakerId: string): void;
  close(): void;
};

/** The Web Audio part of a voice turned up past 100 %. */
type Boost = { gain: GainNode; speaker: ContextSpeakerUse; context: AudioContext };

export function openPlaybackStage(stream: MediaStream, initialGain: number, speakerId: string): PlaybackStage {
  // Not autoplay: it starts when AudioPlayback says, so a refusal is seen and "Turn on sound" shown.
  const element = document.createElement('audio');
  element.srcObject = stream;
  let boost: Boost | undefined;
  let source: MediaStreamAudioSourceNode | undefined;
  let started = false;
  let closed = false;
  // Routed before it first plays, so it never starts on the wrong speaker.
  let routed = routeSink(element, speakerId);

  const openBoost = (value: number): Boost | undefined => {
    const context = audioContext();
    const way = context && openContextSpeaker();
    if (!context || !way) return undefined;
    // One source per stage, kept: a source node holds on to its track until collected.
    source ??= context.createMediaStreamSource(stream);
    const gain = context.createGain();
    gain.gain.value = value;
    source.connect(gain).connect(way.input);
    return { gain, speaker: way, context };
  };

  const closeBoost = () => {
    if (!boost) return;
    source?.disconnect();
    boost.gain.disconnect();
    boost.speaker.release();
    boost = undefined;
    element.muted = false;
  };

  /** Starts the boost's sound; once it plays, the element stops sounding beside it. */
  const soundBoost = async (current: Boost): Promise<void> => {
    await startContext(current.context);
    if (boost !== current) return;
    await current.speaker.play();
    if (boost === current) element.muted = true;
  };

  const stage: PlaybackStage = {
    async play() {
      if (closed) return;
      started = true;
      await routed;
      if (closed) return;
      await element.play();
      if (boost) await soundBoost(boost);
    },
    setGain(value) {
      if (closed) return;
      if (value <= 1) {
        closeBoost();
        element.volume = Math.max(0, value);
        element.muted = value === 0;
        return;
      }
      if (boost) {
        // A short ramp: a jump in gain clicks.
        boost.gain.gain.setTargetAtTime(value, boost.context.currentTime, 0.015);
        return;
      }
      // Until the boost sounds (or where there is no Web Audio), as loud as an element goes.
      element.volume = 1;
      element.muted = false;
      boost = openBoost(value);
      // Turned up mid-call: a slider moved, a gesture. A refusal leaves the voice at 100 %, and
      // the next play() (AudioPlayback's "Turn on sound", any later gesture) tries again.
      if (boost && started) void soundBoost(boost).catch(() => undefined);
    },
    setSpeaker(id) {
      // Asking again for the speaker it is on (or on its way to) changes nothing: see routeSink.
      if (closed) return;
      routed = routeSink(element, id);
    },
    close() {
      closed = true;
      closeBoost();
      element.pause();
      element.srcObject = null;
    },
  };
  stage.setGain(initialGain);
  return stage;
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
