import { z } from 'zod';
import type { StateCreator } from 'zustand/vanilla';

/**
 * How you like your own voice handled, kept by this browser (see
 * voice-settings-storage.ts). Each field falls back to its default on its
 * own, so a setting added later does not cost anyone the ones they chose.
 */
export const VoiceSettings = z.object({
  /** You are muted unless `pushToTalkKey` is held. */
  pushToTalk: z.boolean().catch(false),
  /** A KeyboardEvent.code: the physical key, whatever the keyboard layout. */
  pushToTalkKey: z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/)
    .catch('Space'),
  /** MediaDeviceInfo.deviceId of the chosen microphone; '' is the system default. */
  microphoneId: z.string().max(256).catch(''),
  /** MediaDeviceInfo.deviceId of the chosen speaker (setSinkId); '' is the system default. */
  speakerId: z.string().max(256).catch(''),
  /** The browser's own processing of the microphone (getUserMedia constraints). */
  echoCancellation: z.boolean().catch(true),
  noiseSuppression: z.boolean().catch(true),
  autoGainControl: z.boolean().catch(true),
  /** RNNoise in an AudioWorklet on top of the browser's processing; loaded only when on. */
  enhancedNoiseSuppression: z.boolean().catch(false),
  /** Short sounds when someone joins or leaves and when a message arrives. */
  sounds: z.boolean().catch(true),
  /** A browser notification for a message that arrives while the tab is hidden. */
  notifications: z.boolean().catch(false),
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
