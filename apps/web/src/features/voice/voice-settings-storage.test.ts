import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../app/browser-storage';
import { createAppStore } from '../../app/store';
import { fakeStorage } from '../../app/testing/fake-storage';
import { DEFAULT_VOICE_SETTINGS, keyLabel } from './voice-settings-slice';
import { loadVoiceSettings, persistVoiceSettings, saveVoiceSettings, VOICE_SETTINGS_KEY } from './voice-settings-storage';

function storageWith(raw: string) {
  const storage = memoryStorage();
  storage.setItem(VOICE_SETTINGS_KEY, raw);
  return storage;
}

describe('voice settings in storage', () => {
  it('round-trips what was saved', () => {
    const storage = memoryStorage();
    const chosen = { ...DEFAULT_VOICE_SETTINGS, pushToTalk: true, pushToTalkKey: 'KeyT', microphoneId: 'mic-2', sounds: false };
    expect(saveVoiceSettings(storage, chosen)).toBe(true);
    expect(loadVoiceSettings(storage)).toEqual(chosen);
  });

  it('reads the defaults where nothing, or nothing usable, was kept', () => {
    expect(loadVoiceSettings(undefined)).toEqual(DEFAULT_VOICE_SETTINGS);
    expect(loadVoiceSettings(memoryStorage())).toEqual(DEFAULT_VOICE_SETTINGS);
    for (const raw of ['{not json', 'null', '42', '"pushToTalk"', '[true]']) expect(loadVoiceSettings(storageWith(raw)), raw).toEqual(DEFAULT_VOICE_SETTINGS);
    expect(loadVoiceSettings(fakeStorage({ broken: true }))).toEqual(DEFAULT_VOICE_SETTINGS);
  });

  it('keeps each good field of an old or odd shape, and defaults the rest', () => {
    expect(loadVoiceSettings(storageWith('{"pushToTalk":true}'))).toEqual({ ...DEFAULT_VOICE_SETTINGS, pushToTalk: true });
    expect(loadVoiceSettings(storageWith('{"pushToTalk":"yes","pushToTalkKey":"<script>","volume":3}'))).toEqual(DEFAULT_VOICE_SETTINGS);
  });

  it('a storage that refuses to save is not an error', () => {
    expect(saveVoiceSettings(fakeStorage({ broken: true }), DEFAULT_VOICE_SETTINGS)).toBe(false);
    expect(saveVoiceSettings(undefined, DEFAULT_VOICE_SETTINGS)).toBe(false);
  });

  it('the store starts from what this browser kept, and keeps every change', () => {
    const storage = storageWith('{"pushToTalk":true,"pushToTalkKey":"Space"}');
    const store = createAppStore();
    const stop = persistVoiceSettings(store, storage);
    expect(store.getState().voiceSettings.pushToTalk).toBe(true);

    store.getState().voiceSettingsChanged({ pushToTalk: false });
    expect(loadVoiceSettings(storage)).toEqual(DEFAULT_VOICE_SETTINGS);
    // Other slices' changes do not write.
    storage.removeItem(VOICE_SETTINGS_KEY);
    store.getState().muteToggled();
    expect(storage.items.has(VOICE_SETTINGS_KEY)).toBe(false);
    stop();
  });

  it('names keys the way people read them', () => {
    expect(keyLabel('Space')).toBe('Space');
    expect(keyLabel('KeyT')).toBe('T');
    expect(keyLabel('Digit5')).toBe('5');
    expect(keyLabel('F8')).toBe('F8');
  });
});
