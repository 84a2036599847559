import { createContext, useContext } from 'react';
import type { VoiceSession } from './voice-session';

export const VoiceSessionContext = createContext<VoiceSession | null>(null);

/** The session lives outside the store (it holds the engine and the microphone). */
export function useVoiceSession(): VoiceSession {
  const session = useContext(VoiceSessionContext);
  if (!session) throw new Error('useVoiceSession needs <Providers> above it');
  return session;
}
