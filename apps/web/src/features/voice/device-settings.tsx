import { useId } from 'react';
import { useVoiceSession } from '../../app/session-context';
import { appStore, useAppStore } from '../../app/store';
import { DevicePickers } from './device-pickers';
import { MicrophoneNotice } from './microphone-notice';
import type { VoiceSettings } from './voice-settings-slice';

type Processing = Extract<keyof VoiceSettings, 'echoCancellation' | 'noiseSuppression' | 'autoGainControl' | 'enhancedNoiseSuppression'>;

const PROCESSING: { key: Processing; label: string; hint?: string }[] = [
  { key: 'echoCancellation', label: 'Echo cancellation' },
  { key: 'noiseSuppression', label: 'Noise suppression' },
  { key: 'autoGainControl', label: 'Automatic gain' },
  {
    key: 'enhancedNoiseSuppression',
    label: 'Enhanced noise suppression',
    hint: 'RNNoise removes keyboards, fans and traffic from your voice; it uses more processor time.',
  },
];

/** The Settings dialog's devices section: the same check as the join form, and how your voice is processed. */
export function DeviceSettings() {
  const session = useVoiceSession();
  const settings = useAppStore((s) => s.voiceSettings);
  const ids = { devices: useId(), processing: useId() };
  return (
    <>
      <section className="devices-section" aria-labelledby={ids.devices}>
        <h3 id={ids.devices} className="settings__section-title">
          Microphone and speaker
        </h3>
        <MicrophoneNotice />
        <DevicePickers source={session.microphone} />
      </section>
      <fieldset className="devices__processing">
        <legend className="settings__section-title">Voice processing</legend>
        {PROCESSING.map(({ key, label, hint }) => (
          <ProcessingCheck
            key={key}
            label={label}
            hint={hint}
            checked={settings[key]}
            onChange={(checked) => appStore.getState().voiceSettingsChanged({ [key]: checked })}
          />
        ))}
      </fieldset>
    </>
  );
}

function ProcessingCheck({ label, hint, checked, onChange }: { label: string; hint: string | undefined; checked: boolean; onChange(checked: boolean): void }) {
  const hintId = useId();
  return (
    <div className="check-field">
      <label className="check">
        <input type="checkbox" checked={checked} aria-describedby={hint ? hintId : undefined} onChange={(event) => onChange(event.target.checked)} />
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
