import { memo } from 'react';
import { useAppStore } from '../../app/store';
import { VolumeIcon, VolumeOffIcon } from '../../components/icons';
import { MAX_VOLUME_PERCENT, selectVolumeChoice } from '../voice/personal-volume-slice';

/**
 * How loud `displayName` is for you alone: a "Mute <name> for me" toggle and
 * a 0-200 % slider. Kept by name in this browser (personal-volume-storage.ts)
 * and applied by the playback stages (features/voice/remote-audio.tsx);
 * nobody else hears any difference. Memoised: the tile around it renders
 * whenever that person's speaking ring turns on or off.
 */
export const PersonalVolumeControl = memo(function PersonalVolumeControl({ displayName }: { displayName: string }) {
  const { volumePercent, mutedForMe } = useAppStore(selectVolumeChoice(displayName));
  const change = useAppStore((s) => s.personalVolumeChanged);
  return (
    <div className="volume" data-muted={mutedForMe ? 'true' : 'false'}>
      <button
        type="button"
        className="volume__mute"
        aria-label={`Mute ${displayName} for me`}
        aria-pressed={mutedForMe}
        title={mutedForMe ? `You don’t hear ${displayName}; others still do` : `Stop hearing ${displayName} (only you)`}
        onClick={() => change(displayName, { mutedForMe: !mutedForMe })}
      >
        {mutedForMe ? <VolumeOffIcon width={16} height={16} /> : <VolumeIcon width={16} height={16} />}
      </button>
      <input
        type="range"
        className="volume__slider"
        min={0}
        max={MAX_VOLUME_PERCENT}
        step={5}
        value={volumePercent}
        aria-label={`Volume for ${displayName}`}
        aria-valuetext={`${volumePercent} %`}
        style={{ ['--volume-fill' as string]: `${(volumePercent / MAX_VOLUME_PERCENT) * 100}%` }}
        onChange={(event) => change(displayName, { volumePercent: Number(event.currentTarget.value) })}
      />
      <output className="volume__value" aria-hidden="true">
        {mutedForMe ? 'Off' : `${volumePercent}%`}
      </output>
    </div>
  );
});
