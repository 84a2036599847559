import { useEffect } from 'react';
import type { RoomId } from '@parley/protocol';
import { LogoMark } from '../../components/icons';
import { RemoteAudio } from '../voice/remote-audio';
import { VoiceControls } from '../voice/voice-controls';
import { ConnectionStatus } from './connection-status';
import { CopyLinkButton } from './copy-link-button';
import { ParticipantList } from './participant-list';
import { SessionErrors } from './session-errors';
import './room.css';
import '../voice/voice.css';

export function RoomPage({ roomId }: { roomId: RoomId }) {
  useEffect(() => {
    document.title = `${roomId} · Parley`;
    return () => {
      document.title = 'Parley';
    };
  }, [roomId]);

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
          <CopyLinkButton />
          <ConnectionStatus />
        </div>
      </header>

      <main className="room__main">
        <SessionErrors />
        <ParticipantList />
      </main>

      <footer className="room__footer">
        <VoiceControls />
      </footer>

      <RemoteAudio />
    </div>
  );
}
