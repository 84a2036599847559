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
  onClick(): void;
};

/** A round call-control button with its label underneath. */
export function ControlButton({ label, icon, pressed, tone = 'default', hint, onClick }: ControlButtonProps) {
  return (
    <button
      type="button"
      className="control-button"
      data-tone={tone}
      aria-pressed={pressed}
      title={hint ?? label}
      onClick={onClick}
    >
      <span className="control-button__icon">{icon}</span>
      <span className="control-button__label">{label}</span>
    </button>
  );
}
