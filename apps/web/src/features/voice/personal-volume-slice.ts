import { displayNameKey, LIMITS } from '@parley/protocol';
import * as z from 'zod/mini';
import type { StateCreator } from 'zustand/vanilla';

/** Above 100 % is a real gain (Web Audio), so a quiet microphone can be brought up. */
export const MAX_VOLUME_PERCENT = 200;
/** How many people this browser remembers a volume for; the longest unchanged are forgotten first. */
export const MAX_REMEMBERED_PEOPLE = 100;

/**
 * How loud you want one other person, kept by this browser under their
 * display name (there is no lasting identity across visits: a userId is
 * new every session). Names are compared as people would (displayNameKey):
 * "Bob" and "bob " are the same person here.
 */
export const PersonalVolume = z.object({
  /** displayNameKey of the person's display name. */
  nameKey: z.string().check(z.minLength(1), z.maxLength(LIMITS.displayNameMaxChars)),
  volumePercent: z.int().check(z.minimum(0), z.maximum(MAX_VOLUME_PERCENT)),
  mutedForMe: z.boolean(),
});
export type PersonalVolume = z.infer<typeof PersonalVolume>;

export type VolumeChoice = Omit<PersonalVolume, 'nameKey'>;

export const DEFAULT_VOLUME: VolumeChoice = { volumePercent: 100, mutedForMe: false };

export type PersonalVolumeSlice = {
  /** Most recently changed last; at most MAX_REMEMBERED_PEOPLE; nobody at the default is kept. */
  personalVolumes: PersonalVolume[];

  personalVolumesLoaded(volumes: PersonalVolume[]): void;
  personalVolumeChanged(displayName: string, change: Partial<VolumeChoice>): void;
};

function clampPercent(percent: number): number {
  return Math.round(Math.min(MAX_VOLUME_PERCENT, Math.max(0, percent)));
}

export const createPersonalVolumeSlice: StateCreator<PersonalVolumeSlice, [], [], PersonalVolumeSlice> = (set) => ({
  personalVolumes: [],

  personalVolumesLoaded: (volumes) => set({ personalVolumes: volumes.slice(-MAX_REMEMBERED_PEOPLE) }),

  personalVolumeChanged: (displayName, change) =>
    set((s) => {
      const nameKey = displayNameKey(displayName);
      if (nameKey.length === 0) return s;
      const others = s.personalVolumes.filter((entry) => entry.nameKey !== nameKey);
      const current = s.personalVolumes.find((entry) => entry.nameKey === nameKey) ?? DEFAULT_VOLUME;
      const next: PersonalVolume = {
        nameKey,
        volumePercent: clampPercent(change.volumePercent ?? current.volumePercent),
        mutedForMe: change.mutedForMe ?? current.mutedForMe,
      };
      const isDefault = next.volumePercent === DEFAULT_VOLUME.volumePercent && next.mutedForMe === DEFAULT_VOLUME.mutedForMe;
      return { personalVolumes: isDefault ? others : [...others, next].slice(-MAX_REMEMBERED_PEOPLE) };
    }),
});

/**
 * What you chose for the person called `displayName`, or the default. The
 * store's own entry comes back (stable between renders, as a selector's
 * answer must be), so it may carry the name key too.
 */
export function selectVolumeChoice(displayName: string | undefined) {
  const nameKey = displayName === undefined ? undefined : displayNameKey(displayName);
  return (state: Pick<PersonalVolumeSlice, 'personalVolumes'>): VolumeChoice =>
    state.personalVolumes.find((e) => e.nameKey === nameKey) ?? DEFAULT_VOLUME;
}

/** The gain a person's audio gets here: 0 when muted for you. */
export function gainOf(choice: VolumeChoice): number {
  return choice.mutedForMe ? 0 : choice.volumePercent / 100;
}
