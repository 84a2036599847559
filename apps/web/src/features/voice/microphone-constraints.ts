import type { VoiceSettings } from './voice-settings-slice';

/** The settings that shape what the browser captures; everything else in VoiceSettings does not touch the microphone. */
export type MicrophoneChoice = Pick<VoiceSettings, 'microphoneId' | 'echoCancellation' | 'noiseSuppression' | 'autoGainControl'>;

/**
 * The getUserMedia constraints for the chosen microphone and processing.
 * The device is asked for as `ideal`, not `exact`: a microphone chosen
 * last week and unplugged since gives the default one instead of an error,
 * which is what someone pressing Join wants (the pickers then show the
 * microphone really in use).
 */
export function microphoneConstraints(choice: MicrophoneChoice): MediaStreamConstraints {
  return {
    audio: {
      ...(choice.microphoneId === '' ? {} : { deviceId: { ideal: choice.microphoneId } }),
      echoCancellation: choice.echoCancellation,
      noiseSuppression: choice.noiseSuppression,
      autoGainControl: choice.autoGainControl,
    },
    video: false,
  };
}

/** Whether going from `before` to `after` needs the microphone opened again (another device or other processing). */
export function captureChanged(before: MicrophoneChoice, after: MicrophoneChoice): boolean {
  return (
    before.microphoneId !== after.microphoneId ||
    before.echoCancellation !== after.echoCancellation ||
    before.noiseSuppression !== after.noiseSuppression ||
    before.autoGainControl !== after.autoGainControl
  );
}
