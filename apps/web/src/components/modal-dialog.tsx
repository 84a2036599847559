import { useEffect, useRef, useState, type ReactNode } from 'react';
import { CloseIcon } from './icons';

type ModalDialogProps = {
  /** The id of the heading that names the dialog (see DialogHead). */
  labelledBy: string;
  /** Closed by Escape (the dialog's close event), by a Close button, or by the caller unmounting it. */
  onClose(): void;
  children: ReactNode;
};

/**
 * A modal <dialog>, open while it is mounted: the browser keeps the focus
 * inside it, makes the page behind it inert and closes it on Escape.
 */
export function ModalDialog({ labelledBy, onClose, children }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  return (
    <dialog ref={dialog} className="settings-dialog" aria-labelledby={labelledBy} onClose={onClose}>
      {children}
    </dialog>
  );
}

/** A dialog's heading (its accessible name) and its Close button. */
export function DialogHead({ titleId, title, onClose }: { titleId: string; title: string; onClose(): void }) {
  return (
    <div className="settings__head">
      <h2 id={titleId} className="settings__title">
        {title}
      </h2>
      <button type="button" className="button button--ghost button--small settings__close" aria-label="Close" onClick={onClose}>
        <CloseIcon />
      </button>
    </div>
  );
}

/**
 * A dialog's open state and the button that opens it: closing gives the focus
 * back to that button, once the dialog is gone (while a modal dialog is open
 * the rest of the page is inert and cannot take focus).
 */
export function useDialogOpener() {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (open || !refocus.current) return;
    refocus.current = false;
    opener.current?.focus();
  }, [open]);
  return {
    open,
    opener,
    show: () => setOpen(true),
    close: () => {
      refocus.current = true;
      setOpen(false);
    },
    /** Closes without moving the focus (the button itself is going away). */
    dismiss: () => setOpen(false),
  };
}
