import type { ReactNode } from 'react';
import { AlertIcon } from './icons';

/** A message that needs attention, with the actions that resolve it. */
export function AlertBanner({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="alert-banner" role="alert">
      <AlertIcon className="alert-banner__icon" />
      <p className="alert-banner__text">{children}</p>
      {actions ? <div className="alert-banner__actions">{actions}</div> : null}
    </div>
  );
}
