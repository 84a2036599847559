import type { ChatMessage } from '@parley/protocol';
import { playCue } from './cue-sounds';
import { startRoomCues, type RoomCuesDeps } from './room-cues';

/** The room's sounds, unread title and notifications on the real document, AudioContext and Notification. */
export function startBrowserRoomCues(engine: RoomCuesDeps['engine'], store: RoomCuesDeps['store']): () => void {
  return startRoomCues({
    engine,
    store,
    play: playCue,
    notify: notifyMessage,
    page: {
      hidden: () => document.hidden,
      onVisibilityChange: (listener) => {
        document.addEventListener('visibilitychange', listener);
        return () => document.removeEventListener('visibilitychange', listener);
      },
      title: () => document.title,
      setTitle: (title) => {
        document.title = title;
      },
    },
  });
}

/** One notification per sender at a time (a newer message replaces it); a click brings the tab back. */
function notifyMessage(message: ChatMessage): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notification = new Notification(message.displayName, { body: message.text, tag: `parley-chat-${message.userId}` });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}
