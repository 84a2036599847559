import type { StorageLike } from '../../app/browser-storage';
import { DEFAULT_VOICE_SETTINGS, VoiceSettings, type VoiceSettingsSlice } from './voice-settings-slice';

export const VOICE_SETTINGS_KEY = 'parley.voiceSettings';

/**
 * What this browser kept. Storage is never trusted: bad JSON or a shape that
 * is not an object reads as the defaults, a field of the wrong type as its
 * default, and a storage that throws (private mode) as the defaults.
 */
export function loadVoiceSettings(storage: Pick<StorageLike, 'getItem'> | undefined): VoiceSettings {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(VOICE_SETTINGS_KEY);
  } catch {
    return DEFAULT_VOICE_SETTINGS;
  }
  if (raw === null || raw === undefined) return DEFAULT_VOICE_SETTINGS;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return DEFAULT_VOICE_SETTINGS;
  }
  const parsed = VoiceSettings.safeParse(json);
  return parsed.success ? parsed.data : DEFAULT_VOICE_SETTINGS;
}

/** Returns false when storage refused (quota, private mode): the settings still hold for this page. */
export function saveVoiceSettings(storage: Pick<StorageLike, 'setItem'> | undefined, settings: VoiceSettings): boolean {
  if (!storage) return false;
  try {
    storage.setItem(VOICE_SETTINGS_KEY, JSON.stringify(settings));
    return true;
  } catch {
    return false;
  }
}

type SettingsStore = {
  getState(): VoiceSettingsSlice;
  subscribe(listener: (state: VoiceSettingsSlice, previous: VoiceSettingsSlice) => void): () => void;
};

/** Loads the kept settings into the store, then keeps every change. Returns the unsubscribe. */
export function persistVoiceSettings(store: SettingsStore, storage: StorageLike | undefined): () => void {
  store.getState().voiceSettingsLoaded(loadVoiceSettings(storage));
  return store.subscribe((state, previous) => {
    if (state.voiceSettings !== previous.voiceSettings) saveVoiceSettings(storage, state.voiceSettings);
  });
}
