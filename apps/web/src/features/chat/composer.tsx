import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { composerState, isSendKey } from './composer-state';

export type ComposerProps = {
  disabled: boolean;
  /** Returns whether the message was accepted; the draft is cleared only then. */
  onSend(text: string): boolean;
  onTyping(): void;
};

export function Composer({ disabled, onSend, onTyping }: ComposerProps) {
  const [draft, setDraft] = useState('');
  const state = composerState(draft);

  const submit = () => {
    if (disabled || !state.canSend) return;
    if (onSend(state.trimmed)) setDraft('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!isSendKey({ key: event.key, shiftKey: event.shiftKey, isComposing: event.nativeEvent.isComposing })) return;
    event.preventDefault();
    submit();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit();
  };

  return (
    <form className="chat-composer" onSubmit={onSubmit}>
      <textarea
        className="chat-composer__input"
        aria-label="Message"
        placeholder="Write a message…"
        rows={1}
        value={draft}
        disabled={disabled}
        aria-describedby={state.showCounter ? 'chat-composer-counter' : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          if (event.target.value.trim() !== '') onTyping();
        }}
        onKeyDown={onKeyDown}
      />
      {state.showCounter ? (
        <span id="chat-composer-counter" className={`chat-composer__counter${state.remaining < 0 ? ' chat-composer__counter--over' : ''}`}>
          {state.remaining < 0 ? `${-state.remaining} characters over the limit` : `${state.remaining} characters left`}
        </span>
      ) : null}
      <button type="submit" className="button button--primary button--small chat-composer__send" disabled={disabled || !state.canSend}>
        Send
      </button>
    </form>
  );
}
