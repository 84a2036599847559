import { memo, useEffect, useId, useRef, useState } from 'react';
import type { CodecInfo, LinkState, QualityGrade } from '@parley/mesh';
import { useAppStore } from '../../app/store';
import { selectLinkGrade, selectLinkQuality, selectLinkState } from './room-slice';

/** The word on the tile: a grade once the link is measured, else what the link is doing. */
type Shown = QualityGrade | 'connecting' | 'reconnecting' | 'not connected';

function shownState(link: LinkState | undefined, grade: QualityGrade | undefined): Shown {
  if (link === 'disconnected' || link === 'restarting') return 'reconnecting';
  if (link === 'failed' || link === 'closed') return 'not connected';
  if (link !== 'connected' || !grade) return 'connecting';
  return grade;
}

const LIT_BARS: Record<Shown, number> = { good: 3, fair: 2, poor: 1, connecting: 0, reconnecting: 0, 'not connected': 0 };

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function kbps(bitrateBps: number | undefined): string {
  return bitrateBps === undefined ? '—' : `${(bitrateBps / 1000).toFixed(1)} kbps`;
}

function describeCodec(codec: CodecInfo | undefined): string {
  if (!codec) return '—';
  const name = codec.mimeType.replace(/^audio\//i, '');
  const parts = [name === 'opus' ? 'Opus' : name];
  if (codec.clockRateHz !== undefined) parts.push(`${codec.clockRateHz / 1000} kHz`);
  if (codec.channels !== undefined) parts.push(codec.channels === 1 ? 'mono' : codec.channels === 2 ? 'stereo' : `${codec.channels} ch`);
  return parts.join(', ');
}

function SignalBars({ lit }: { lit: number }) {
  return (
    <svg className="quality__bars" viewBox="0 0 14 12" width="14" height="12" aria-hidden="true" focusable="false">
      {[0, 1, 2].map((i) => (
        <rect key={i} x={i * 5} y={8 - i * 4} width="3.4" height={4 + i * 4} rx="1" data-lit={i < lit ? 'true' : 'false'} />
      ))}
    </svg>
  );
}

/** The figures behind the grade: rendered (and kept up to date) only while someone is looking at them. */
function QualityDetails({ userId }: { userId: string }) {
  const quality = useAppStore(selectLinkQuality(userId));
  return (
    <dl>
      <dt>Round trip</dt>
      <dd>{quality?.roundTripMs === undefined ? '—' : `${Math.round(quality.roundTripMs)} ms`}</dd>
      <dt>Loss</dt>
      <dd>{quality?.lossPercent === undefined ? '—' : `${quality.lossPercent.toFixed(1)} %`}</dd>
      <dt>Jitter</dt>
      <dd>{quality?.jitterMs === undefined ? '—' : `${Math.round(quality.jitterMs)} ms`}</dd>
      <dt>Path</dt>
      <dd>{quality?.path ?? '—'}</dd>
      <dt>Codec</dt>
      <dd>{describeCodec(quality?.codec)}</dd>
      <dt>Sending</dt>
      <dd>{kbps(quality?.sendBitrateBps)}</dd>
      <dt>Receiving</dt>
      <dd>{kbps(quality?.receiveBitrateBps)}</dd>
    </dl>
  );
}

/**
 * How the audio link to one person is doing, readable without hovering:
 * bars and a word (good / fair / poor, thresholds in packages/mesh
 * link-quality.ts), and on a press the figures behind it. Its accessible
 * name is "Connection to <name>: <word>".
 *
 * Every link is measured every two seconds; closed, the tile follows the
 * grade alone, so a new measurement with the same grade renders nothing,
 * and the tile's own renders (a speaking ring turning on) skip it (memo).
 */
export const ConnectionQuality = memo(function ConnectionQuality({ userId, displayName }: { userId: string; displayName: string }) {
  const link = useAppStore(selectLinkState(userId));
  const grade = useAppStore(selectLinkGrade(userId));
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const root = useRef<HTMLDivElement>(null);
  const shown = shownState(link, grade);

  useEffect(() => {
    if (!open) return;
    // Closes like a popover: Escape, or a press anywhere else.
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <div className="quality" ref={root} data-quality={shown.replace(' ', '-')}>
      <button
        type="button"
        className="quality__button"
        aria-label={`Connection to ${displayName}: ${shown}`}
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen((was) => !was)}
      >
        <SignalBars lit={LIT_BARS[shown]} />
        <span aria-hidden="true">{capitalised(shown)}</span>
      </button>
      <div id={detailsId} className="quality__details" role="group" aria-label={`Connection details for ${displayName}`} hidden={!open}>
        {open ? <QualityDetails userId={userId} /> : null}
      </div>
    </div>
  );
});
