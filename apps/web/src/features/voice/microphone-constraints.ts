import type { VoiceSettings } from './voice-settings-slice';

/** The settings that shape what the browser captures; everything else in VoiceSettings does not touch the microphone. */
export type MicrophoneChoice = Pick<VoiceSettings, 'microphoneId' | 'echoCancellation' | 'noiseSuppression' | 'autoGainControl'>;

/**
 * The getUserMedia constraints for the chosen microphone and processing.
 * The device is asked for as `exact`: measured in Chromium, an `ideal`
 * deviceId is passed over for a microphone the page already has open, so
 * switching from the default to another one gave the default again.
 * An exact device that is gone is refused (OverconstrainedError); see
 * openMicrophone for the default it then falls back to.
 */
export function microphoneConstraints(choice: MicrophoneChoice): MediaStreamConstraints {
  return {
    audio: {
      ...(choice.microphoneId === '' ? {} : { deviceId: { exact: choice.microphoneId } }),
      echoCancellation: choice.echoCancellation,
      noiseSuppression: choice.noiseSuppression,
      autoGainControl: choice.autoGainControl,
    },
    video: false,
  };
}

/** The same processing on whatever microphone is the system default. */
export function defaultMicrophone(choice: MicrophoneChoice): MicrophoneChoice {
  return { ...choice, microphoneId: '' };
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
