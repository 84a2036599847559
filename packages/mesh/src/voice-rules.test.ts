import { describe, expect, it } from 'vitest';
import { deafenToggled, INITIAL_VOICE_CONTROLS, muteToggled, type VoiceControls, wireVoice } from './voice-rules';

const controls = (muted: boolean, deafened: boolean, mutedBeforeDeafen = false): VoiceControls => ({ muted, deafened, mutedBeforeDeafen });

describe('voice rules', () => {
  it.each([
    ['unmuted', controls(false, false), 'mute', controls(true, false)],
    ['muted', controls(true, false), 'mute', controls(false, false)],
    ['deafened (was unmuted)', controls(true, true, false), 'mute', controls(false, false)],
    ['deafened (was muted)', controls(true, true, true), 'mute', controls(false, false)],
    ['unmuted', controls(false, false), 'deafen', controls(true, true, false)],
    ['muted', controls(true, false), 'deafen', controls(true, true, true)],
    ['deafened (was unmuted)', controls(true, true, false), 'deafen', controls(false, false)],
    ['deafened (was muted)', controls(true, true, true), 'deafen', controls(true, false)],
  ] as const)('%s, pressing %s, gives %o', (_label, before, press, after) => {
    expect(press === 'mute' ? muteToggled(before) : deafenToggled(before)).toEqual(after);
  });

  it('starts unmuted and hearing', () => {
    expect(INITIAL_VOICE_CONTROLS).toEqual(controls(false, false));
  });

  it('never puts a deafened but unmuted state on the wire', () => {
    expect(wireVoice({ muted: false, deafened: true })).toEqual({ muted: true, deafened: true });
    expect(wireVoice({ muted: true, deafened: false })).toEqual({ muted: true, deafened: false });
  });
});
