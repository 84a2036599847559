import type { ReactNode } from 'react';

type ControlButtonProps = {
  /** The accessible name; it stays the same whatever the state. */
  label: string;
  icon: ReactNode;
  /** Set for toggles: rendered as aria-pressed. */
  pressed?: boolean;
  tone?: 'default' | 'danger';
  /** Extra text for a tooltip, e.g. "Unmute". */
  hint?: string;
  /**
   * Shown as unavailable (aria-disabled) but still focusable, so its hint
   * can say why; the caller's onClick must do nothing meanwhile.
   */
  unavailable?: boolean;
  onClick(): void;
};

/** A round call-control button with its label underneath. */
export function ControlButton({ label, icon, pressed, tone = 'default', hint, unavailable, onClick }: ControlButtonProps) {
  return (
    <button
      type="button"
      className="control-button"
      data-tone={tone}
      aria-pressed={pressed}
      aria-disabled={unavailable || undefined}
      title={hint ?? label}
      onClick={onClick}
    >
      <span className="control-button__icon">{icon}</span>
      <span className="control-button__label">{label}</span>
    </button>
  );
}
