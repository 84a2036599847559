import { describe, expect, it } from 'vitest';
import { captureChanged, microphoneConstraints } from './microphone-constraints';
import { DEFAULT_VOICE_SETTINGS } from './voice-settings-slice';

describe('microphoneConstraints', () => {
  it('asks for the system default with the browser cleaning the voice up, by default', () => {
    expect(microphoneConstraints(DEFAULT_VOICE_SETTINGS)).toEqual({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: false,
    });
  });

  it('asks for exactly the chosen microphone (Chromium passes over an ideal one for the microphone already open)', () => {
    const constraints = microphoneConstraints({ ...DEFAULT_VOICE_SETTINGS, microphoneId: 'usb-headset', echoCancellation: false });
    expect(constraints.audio).toEqual({
      deviceId: { exact: 'usb-headset' },
      echoCancellation: false,
      noiseSuppression: true,
      autoGainControl: true,
    });
  });
});

describe('captureChanged', () => {
  it('another device or other processing opens the microphone again; anything else does not', () => {
    const base = DEFAULT_VOICE_SETTINGS;
    expect(captureChanged(base, { ...base, microphoneId: 'other' })).toBe(true);
    expect(captureChanged(base, { ...base, autoGainControl: false })).toBe(true);
    expect(captureChanged(base, { ...base, noiseSuppression: false })).toBe(true);
    expect(captureChanged(base, { ...base, echoCancellation: false })).toBe(true);
    expect(captureChanged(base, { ...base, enhancedNoiseSuppression: true, pushToTalk: true } as typeof base)).toBe(false);
  });
});
