import * as z from 'zod/mini';
import type { StateCreator } from 'zustand/vanilla';

/**
 * How you like your own voice handled, kept by this browser (see
 * voice-settings-storage.ts). Each field falls back to its default on its
 * own, so a setting added later does not cost anyone the ones they chose.
 */
export const VoiceSettings = z.object({
  /** You are muted unless `pushToTalkKey` is held. */
  pushToTalk: z.catch(z.boolean(), false),
  /** A KeyboardEvent.code: the physical key, whatever the keyboard layout. */
  pushToTalkKey: z.catch(z.string().check(z.regex(/^[A-Za-z0-9]{1,32}$/)), 'Space'),
  /** MediaDeviceInfo.deviceId of the chosen microphone; '' is the system default. */
  microphoneId: z.catch(z.string().check(z.maxLength(256)), ''),
  /** MediaDeviceInfo.deviceId of the chosen speaker (setSinkId); '' is the system default. */
  speakerId: z.catch(z.string().check(z.maxLength(256)), ''),
  /** The browser's own processing of the microphone (getUserMedia constraints). */
  echoCancellation: z.catch(z.boolean(), true),
  noiseSuppression: z.catch(z.boolean(), true),
  autoGainControl: z.catch(z.boolean(), true),
  /** RNNoise in an AudioWorklet on top of the browser's processing; loaded only when on. */
  enhancedNoiseSuppression: z.catch(z.boolean(), false),
  /** Short sounds when someone joins or leaves and when a message arrives. */
  sounds: z.catch(z.boolean(), true),
  /** A browser notification for a message that arrives while the tab is hidden. */
  notifications: z.catch(z.boolean(), false),
});
export type VoiceSettings = z.infer<typeof VoiceSettings>;

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = {
  pushToTalk: false,
  pushToTalkKey: 'Space',
  microphoneId: '',
  speakerId: '',
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  enhancedNoiseSuppression: false,
  sounds: true,
  notifications: false,
};

export type VoiceSettingsSlice = {
  voiceSettings: VoiceSettings;

  /** The settings this browser kept, read once when the page starts. */
  voiceSettingsLoaded(settings: VoiceSettings): void;
  voiceSettingsChanged(change: Partial<VoiceSettings>): void;
};

export const createVoiceSettingsSlice: StateCreator<VoiceSettingsSlice, [], [], VoiceSettingsSlice> = (set) => ({
  voiceSettings: DEFAULT_VOICE_SETTINGS,

  voiceSettingsLoaded: (settings) => set({ voiceSettings: settings }),
  voiceSettingsChanged: (change) => set((s) => ({ voiceSettings: { ...s.voiceSettings, ...change } })),
});

export function selectPushToTalk(state: Pick<VoiceSettingsSlice, 'voiceSettings'>): boolean {
  return state.voiceSettings.pushToTalk;
}

/** How a KeyboardEvent.code reads to a person: "Space", "T", "5", "F8". */
export function keyLabel(code: string): string {
  return /^(Key|Digit)[A-Z0-9]$/.test(code) ? code.slice(-1) : code;
}
