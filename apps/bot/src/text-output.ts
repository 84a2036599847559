import { assertNever } from '@parley/protocol';
import type { BotEvent, BotReport, PeerReport } from './report-line';

/** 512 B, 12.3 kB, 4.5 MB: decimal units, as network figures usually are. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function peerLine(name: string, peer: PeerReport): string {
  if (peer.hearing) return `${name} hears ${peer.name}: ${formatBytes(peer.bytes)}, level ${peer.level.toFixed(2)}`;
  if (peer.frames > 0) return `${name} hears only silence from ${peer.name}: ${formatBytes(peer.bytes)}`;
  return `${name} waiting for audio from ${peer.name} (link ${peer.link})`;
}

/** A report as people read it: one line per peer. */
export function formatReport(report: BotReport): string[] {
  const lines = report.connection === 'connected' ? [] : [`${report.name}: signaling ${report.connection}`];
  if (report.peers.length === 0 && report.connection === 'connected') lines.push(`${report.name} is alone in ${report.room}`);
  for (const peer of report.peers) lines.push(peerLine(report.name, peer));
  return lines;
}

export function formatEvent(event: BotEvent): string {
  switch (event.event) {
    case 'joined': {
      const others = event.peers.map((peer) => peer.name).join(', ');
      return `${event.name} joined ${event.room} as ${event.userId ?? '?'}; ${others === '' ? 'nobody else is there yet' : `also there: ${others}`}`;
    }
    case 'peerJoined':
      return `${event.name} sees ${event.peer.name} join`;
    case 'peerLeft':
      return `${event.name} sees ${event.peer.name} ${{ left: 'leave', disconnected: 'drop out', removed: 'removed by the owner' }[event.reason]}`;
    case 'connection':
      return `${event.name} signaling ${event.from} -> ${event.to}`;
    case 'error':
      return `${event.name} error: ${event.message}`;
    case 'left':
      return `${event.name} left ${event.room}`;
    default:
      return assertNever(event, 'bot event');
  }
}
