import { LIMITS } from '@parley/protocol';

/** Show the counter once this few characters are left. */
const COUNTER_THRESHOLD = 500;

export type ComposerState = {
  /** The text that would be sent. */
  trimmed: string;
  canSend: boolean;
  /** Characters left before the limit (negative when over). */
  remaining: number;
  showCounter: boolean;
};

/** What the composer shows and allows for `draft`. */
export function composerState(draft: string, maxChars: number = LIMITS.chatTextMaxChars): ComposerState {
  const trimmed = draft.trim();
  const remaining = maxChars - trimmed.length;
  return { trimmed, canSend: trimmed.length > 0 && remaining >= 0, remaining, showCounter: remaining <= COUNTER_THRESHOLD };
}

/** Enter sends; Shift+Enter (and Enter while an IME is composing) inserts a newline. */
export function isSendKey(event: { key: string; shiftKey: boolean; isComposing: boolean }): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing;
}
