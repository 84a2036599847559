import { useId, useState } from 'react';
import { appStore, useAppStore } from '../../app/store';

/** Why notifications cannot be turned on, in the user's terms; undefined when they can. */
type Refusal = 'unsupported' | 'denied' | 'dismissed';

const REFUSALS: Record<Refusal, string> = {
  unsupported: 'This browser cannot show notifications for this page.',
  denied:
    'The browser blocks notifications from this site. Allow them in the site settings (the icon left of the address), then turn this on again.',
  dismissed: 'Notifications need your permission: turn this on again and choose Allow.',
};

/**
 * The Settings dialog's "Sounds" and "Message notifications" checkboxes.
 * Turning notifications on asks the browser's permission first (from this
 * click, as browsers require); a refusal leaves it off and says why.
 */
export function SoundSettings() {
  const sounds = useAppStore((s) => s.voiceSettings.sounds);
  const notifications = useAppStore((s) => s.voiceSettings.notifications);
  const [refusal, setRefusal] = useState<Refusal | undefined>(undefined);
  const ids = { soundsHint: useId(), notificationsHint: useId(), refusal: useId() };
  const change = appStore.getState().voiceSettingsChanged;

  const toggleNotifications = async (on: boolean) => {
    setRefusal(undefined);
    if (!on) return change({ notifications: false });
    if (typeof Notification === 'undefined') return setRefusal('unsupported');
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    if (permission === 'granted') change({ notifications: true });
    else setRefusal(permission === 'denied' ? 'denied' : 'dismissed');
  };

  return (
    <>
      <div className="check-field">
        <label className="check">
          <input
            type="checkbox"
            checked={sounds}
            aria-describedby={ids.soundsHint}
            onChange={(event) => change({ sounds: event.target.checked })}
          />
          Sounds
        </label>
        <p id={ids.soundsHint} className="field__hint">
          A short sound when someone joins or leaves and when a message arrives (not while deafened).
        </p>
      </div>
      <div className="check-field">
        <label className="check">
          <input
            type="checkbox"
            checked={notifications}
            aria-describedby={refusal ? `${ids.notificationsHint} ${ids.refusal}` : ids.notificationsHint}
            onChange={(event) => void toggleNotifications(event.target.checked)}
          />
          Message notifications
        </label>
        <p id={ids.notificationsHint} className="field__hint">
          A notification for a message that arrives while this tab is hidden.
        </p>
        {refusal ? (
          <p id={ids.refusal} className="field__error" role="alert">
            {REFUSALS[refusal]}
          </p>
        ) : null}
      </div>
    </>
  );
}
