import type { CSSProperties, Ref } from 'react';

/** What the meter shows for `level` in [0, 1]: the announced percentage, the bar's length, and whether it is lit. */
function meterReading(level: number): { percent: number; bar: number; active: 'true' | 'false' } {
  const percent = Math.round(Math.min(1, Math.max(0, level)) * 100);
  return { percent, bar: Math.sqrt(percent / 100), active: percent > 2 ? 'true' : 'false' };
}

/**
 * Shows `level` on a meter element LevelMeter rendered, without React: a meter
 * that moves several times a second all call long costs a render each time
 * otherwise (see useLiveLevel).
 */
export function drawMeter(element: HTMLElement, level: number): void {
  const { percent, bar, active } = meterReading(level);
  element.style.setProperty('--level', String(bar));
  element.setAttribute('aria-valuenow', String(percent));
  element.dataset.active = active;
}

/**
 * A level from 0 to 1 drawn as a bar, announced as a meter (role `meter`,
 * 0-100) under `label`. The bar follows a perceptual curve (square root),
 * so quiet speech is visible too; the announced value is the linear level.
 */
export function LevelMeter({ label, level, ref }: { label: string; level: number; ref?: Ref<HTMLDivElement> }) {
  const { percent, bar, active } = meterReading(level);
  return (
    <div
      ref={ref}
      className="level-meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-active={active}
      style={{ '--level': bar } as CSSProperties}
    >
      <span className="level-meter__bar" />
    </div>
  );
}
