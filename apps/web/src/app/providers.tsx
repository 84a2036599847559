import type { ReactNode } from 'react';
import { ErrorBoundary } from '../components/error-boundary';
import { VoiceSessionContext } from './session-context';
import type { VoiceSession } from './voice-session';

export function Providers({ session, children }: { session: VoiceSession; children: ReactNode }) {
  return (
    <ErrorBoundary>
      <VoiceSessionContext.Provider value={session}>{children}</VoiceSessionContext.Provider>
    </ErrorBoundary>
  );
}
