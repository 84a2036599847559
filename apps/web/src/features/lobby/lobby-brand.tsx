import { LogoMark } from '../../components/icons';

/** The logo and name above the lobby's card, shared by the join form and the rejoin screen. */
export function LobbyBrand() {
  return (
    <div className="lobby__brand">
      <span className="brand-mark">
        <LogoMark />
      </span>
      <span className="brand-name">Parley</span>
    </div>
  );
}
