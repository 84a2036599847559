import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { appStore, useAppStore } from '../../app/store';
import { LevelMeter } from '../../components/level-meter';
import { canChooseSpeaker, selectedDevice, type DeviceOption } from './device-choice';
import { playOnSpeaker, playTestSound, type SpeakerPlayback } from './speaker-output';
import { useLiveLevel } from './use-live-level';
import './devices.css';

/** Where the pickers find the live microphone: the join form's (MicrophoneWarmup) or the call's (LocalMicrophone). */
export type MicrophoneSource = {
  track(): MediaStreamTrack | undefined;
  subscribe(listener: () => void): () => void;
};

/**
 * The microphone and speaker check, on the join form and in Settings: a
 * live level, the pickers, a test sound and "Hear yourself". Choices go to
 * the settings slice (kept by this browser); whoever owns the microphone
 * follows them (`onMicrophoneChosen` on the form, LocalMicrophone in a call).
 */
export function DevicePickers({ source, onMicrophoneChosen }: { source: MicrophoneSource | undefined; onMicrophoneChosen?(): void }) {
  const subscribe = useCallback((listener: () => void) => source?.subscribe(listener) ?? (() => undefined), [source]);
  const track = useSyncExternalStore(subscribe, () => source?.track(), () => undefined);
  const meter = useRef<HTMLDivElement>(null);
  useLiveLevel(meter, track);
  const microphones = useAppStore((s) => s.microphones);
  const speakers = useAppStore((s) => s.speakers);
  const microphoneId = useAppStore((s) => s.voiceSettings.microphoneId);
  const speakerId = useAppStore((s) => s.voiceSettings.speakerId);
  const [hearing, setHearing] = useState(false);
  const testSound = useRef<SpeakerPlayback | undefined>(undefined);
  const ids = { microphone: useId(), speaker: useId(), hearHint: useId() };
  const routable = canChooseSpeaker();
  const listening = hearing && track !== undefined;

  // "Hear yourself": the microphone on the chosen speaker, until turned off, the track goes (Join) or this unmounts.
  useEffect(() => {
    if (!listening || !track) return;
    const playback = playOnSpeaker(new MediaStream([track]), routable ? speakerId : '');
    return () => playback.stop();
  }, [listening, track, speakerId, routable]);

  useEffect(() => () => testSound.current?.stop(), []);

  const chooseMicrophone = (deviceId: string) => {
    appStore.getState().voiceSettingsChanged({ microphoneId: deviceId });
    onMicrophoneChosen?.();
  };

  const testSpeaker = () => {
    testSound.current?.stop();
    testSound.current = playTestSound(routable ? speakerId : '');
  };

  return (
    <div className="devices">
      <div className="field">
        <label className="field__label" htmlFor={ids.microphone}>
          Microphone
        </label>
        <DeviceSelect
          id={ids.microphone}
          options={microphones}
          value={selectedDevice(microphones, track?.getSettings().deviceId, microphoneId)}
          fallbackLabel="Default microphone"
          onChange={chooseMicrophone}
        />
        <LevelMeter ref={meter} label="Microphone level" level={0} />
      </div>

      <div className="field">
        {routable ? (
          <label className="field__label" htmlFor={ids.speaker}>
            Speaker
          </label>
        ) : (
          <span className="field__label">Speaker</span>
        )}
        <div className="devices__row">
          {routable ? (
            <DeviceSelect
              id={ids.speaker}
              options={speakers}
              value={selectedDevice(speakers, undefined, speakerId)}
              fallbackLabel="Default speaker"
              onChange={(deviceId) => appStore.getState().voiceSettingsChanged({ speakerId: deviceId })}
            />
          ) : (
            <p className="field__hint devices__grow">This browser plays sound on the system’s speaker.</p>
          )}
          <button type="button" className="button button--secondary button--small" onClick={testSpeaker}>
            Test speaker
          </button>
        </div>
      </div>

      <div className="devices__hear">
        <button
          type="button"
          className="button button--secondary button--small devices__toggle"
          aria-pressed={listening}
          aria-describedby={ids.hearHint}
          disabled={!track}
          onClick={() => setHearing(!listening)}
        >
          <span className="devices__switch" aria-hidden="true" />
          Hear yourself
        </button>
        <p id={ids.hearHint} className="field__hint">
          Wear headphones, or your speakers will echo.
        </p>
      </div>
    </div>
  );
}

function DeviceSelect({
  id,
  options,
  value,
  fallbackLabel,
  onChange,
}: {
  id: string;
  options: DeviceOption[];
  value: string;
  fallbackLabel: string;
  onChange(deviceId: string): void;
}) {
  return (
    <select id={id} className="field__input devices__select" value={value} onChange={(event) => onChange(event.target.value)}>
      {options.length === 0 ? <option value="">{fallbackLabel}</option> : null}
      {options.map((option) => (
        <option key={option.deviceId} value={option.deviceId}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
