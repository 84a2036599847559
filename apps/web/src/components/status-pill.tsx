import type { ReactNode } from 'react';

export type StatusTone = 'ok' | 'pending' | 'bad';

/** A live status line with a coloured dot: screen readers hear it change. */
export function StatusPill({ tone, children }: { tone: StatusTone; children: ReactNode }) {
  return (
    <span className="status-pill" data-tone={tone} role="status">
      <span className="status-pill__dot" aria-hidden="true" />
      {children}
    </span>
  );
}
