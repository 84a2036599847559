import { useEffect, useState } from 'react';
import type { RoomId, UserId } from '@parley/protocol';
import { useVoiceSession } from '../../app/session-context';
import { appStore, useAppStore, useAppStoreSource } from '../../app/store';
import { LogoMark } from '../../components/icons';
import { useMediaQuery } from '../../components/use-media-query';
import { ChatPanel, UnreadBadge, selectUnread } from '../chat';
import { PlaybackPrompt } from '../voice/playback-prompt';
import { RemoteAudio } from '../voice/remote-audio';
import { useAudioPlayback } from '../voice/use-audio-playback';
import { KeyboardShortcutsDialog } from '../voice/keyboard-shortcuts-dialog';
import { useRoomKeyboard } from '../voice/use-room-keyboard';
import { VoiceControls } from '../voice/voice-controls';
import { MicrophoneNotice } from '../voice/microphone-notice';
import { VoiceSettingsButton } from '../voice/voice-settings-button';
import { ConnectionStatus } from './connection-status';
import { CopyLinkButton } from './copy-link-button';
import { ParticipantList } from './participant-list';
import { RoomSettingsButton } from './room-settings-dialog';
import { roomPanelId, roomTabId, RoomTabs, type RoomTab } from './room-tabs';
import { SessionErrors } from './session-errors';
import { MutedSpeechNotice, SilencedNotice } from './silenced-notice';
import './room.css';
import '../voice/voice.css';

/** Roster and chat side by side from this width; below it, one at a time behind tabs. */
const WIDE_QUERY = '(min-width: 900px)';

function nameOf(userId: UserId): string | undefined {
  return appStore.getState().participants[userId]?.displayName;
}

/** On narrow screens each panel is a tabpanel; on wide screens both simply show. */
function panelProps(tab: RoomTab, wide: boolean, selected: RoomTab) {
  if (wide) return {};
  return { id: roomPanelId(tab), role: 'tabpanel', 'aria-labelledby': roomTabId(tab), hidden: tab !== selected };
}

export function RoomPage({ roomId }: { roomId: RoomId }) {
  const session = useVoiceSession();
  const storeSource = useAppStoreSource();
  const wide = useMediaQuery(WIDE_QUERY);
  const [tab, setTab] = useState<RoomTab>('voice');
  const unread = useAppStore(selectUnread);
  const playback = useAudioPlayback();
  const keyboard = useRoomKeyboard();

  useEffect(() => {
    document.title = `${roomId} · Parley`;
    return () => {
      document.title = 'Parley';
    };
  }, [roomId]);

  // The chat counts unread messages only while it cannot be seen.
  useEffect(() => {
    appStore.getState().chatVisibilityChanged(wide || tab === 'chat');
  }, [wide, tab]);

  return (
    <div className="room">
      <header className="room__bar">
        <span className="brand-mark brand-mark--small" aria-hidden="true">
          <LogoMark />
        </span>
        <div className="room__title">
          <p className="room__eyebrow">Voice room</p>
          <h1 className="room__name">{roomId}</h1>
        </div>
        <div className="room__actions">
          <VoiceSettingsButton />
          <RoomSettingsButton />
          <CopyLinkButton />
          <ConnectionStatus />
        </div>
      </header>

      {wide ? null : (
        <RoomTabs
          selected={tab}
          onSelect={setTab}
          labels={{
            voice: 'Voice',
            chat: (
              <>
                Chat <UnreadBadge count={unread} />
              </>
            ),
          }}
        />
      )}

      <main className="room__main">
        <PlaybackPrompt playback={playback} />
        <SilencedNotice />
        <MutedSpeechNotice />
        <MicrophoneNotice />
        <SessionErrors />
        <div className="room__panels">
          <div className="room__voice" {...panelProps('voice', wide, tab)}>
            <ParticipantList />
          </div>
          <div className="room__chat" {...panelProps('chat', wide, tab)}>
            <ChatPanel store={storeSource} controller={session.chat} nameOf={nameOf} />
          </div>
        </div>
      </main>

      <footer className="room__footer">
        <VoiceControls />
      </footer>

      <RemoteAudio playback={playback} />
      {keyboard.shortcutsOpen ? <KeyboardShortcutsDialog onClose={keyboard.closeShortcuts} /> : null}
    </div>
  );
}
