import { useEffect, useState } from 'react';
import { CheckIcon, LinkIcon } from '../../components/icons';

type CopyState = 'idle' | 'copied' | 'failed';
const RESET_AFTER_MS = 2000;

/** Copies the room's address; the name stays "Copy link", the result is announced. */
export function CopyLinkButton() {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), RESET_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setState('copied');
    } catch {
      setState('failed');
    }
  }

  return (
    <div className="copy-link">
      <button type="button" className="button button--secondary button--small" onClick={() => void copy()}>
        {state === 'copied' ? <CheckIcon /> : <LinkIcon />}
        Copy link
      </button>
      <span className="copy-link__result" aria-live="polite">
        {state === 'copied' ? 'Link copied' : state === 'failed' ? 'Copy the address bar instead' : ''}
      </span>
    </div>
  );
}
