import type { CSSProperties } from 'react';

/**
 * A level from 0 to 1 drawn as a bar, announced as a meter (role `meter`,
 * 0-100) under `label`. The bar follows a perceptual curve (square root),
 * so quiet speech is visible too; the announced value is the linear level.
 */
export function LevelMeter({ label, level }: { label: string; level: number }) {
  const percent = Math.round(Math.min(1, Math.max(0, level)) * 100);
  return (
    <div
      className="level-meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-active={percent > 2 ? 'true' : 'false'}
      style={{ '--level': Math.sqrt(percent / 100) } as CSSProperties}
    >
      <span className="level-meter__bar" />
    </div>
  );
}
