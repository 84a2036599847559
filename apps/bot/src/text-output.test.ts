import { describe, expect, it } from 'vitest';
import type { BotEvent, BotReport, PeerReport } from './report-line';
import { formatBytes, formatEvent, formatReport } from './text-output';

const base = { t: 1000, name: 'Robo 1', userId: 'u1', room: 'myroom' };

function peer(name: string, audio: Partial<PeerReport>): PeerReport {
  return { userId: `id-${name}`, name, link: 'connected', bytes: 0, frames: 0, level: 0, hearing: false, ...audio };
}

describe('formatReport', () => {
  it('says per peer what is heard', () => {
    const report: BotReport = {
      ...base,
      connection: 'connected',
      peers: [
        peer('Ada', { bytes: 12_345, frames: 300, level: 0.2123, hearing: true }),
        peer('Cy', { bytes: 800, frames: 40 }),
        peer('Bob', { link: 'connecting' }),
      ],
    };
    expect(formatReport(report)).toEqual([
      'Robo 1 hears Ada: 12.3 kB, level 0.21',
      'Robo 1 hears only silence from Cy: 800 B',
      'Robo 1 waiting for audio from Bob (link connecting)',
    ]);
  });

  it('says when the bot is alone or signaling is down', () => {
    expect(formatReport({ ...base, connection: 'connected', peers: [] })).toEqual(['Robo 1 is alone in myroom']);
    expect(formatReport({ ...base, connection: 'reconnecting', peers: [peer('Ada', { bytes: 2_000_000, frames: 9, level: 0.1, hearing: true })] })).toEqual([
      'Robo 1: signaling reconnecting',
      'Robo 1 hears Ada: 2.0 MB, level 0.10',
    ]);
  });
});

describe('formatEvent', () => {
  it.each<[BotEvent, string]>([
    [{ event: 'joined', ...base, peers: [{ userId: 'a', name: 'Ada' }, { userId: 'b', name: 'Bob' }] }, 'Robo 1 joined myroom as u1; also there: Ada, Bob'],
    [{ event: 'joined', ...base, peers: [] }, 'Robo 1 joined myroom as u1; nobody else is there yet'],
    [{ event: 'peerJoined', ...base, peer: { userId: 'a', name: 'Ada' } }, 'Robo 1 sees Ada join'],
    [{ event: 'peerLeft', ...base, peer: { userId: 'a', name: 'Ada' }, reason: 'disconnected' }, 'Robo 1 sees Ada drop out'],
    [{ event: 'connection', ...base, from: 'connected', to: 'reconnecting' }, 'Robo 1 signaling connected -> reconnecting'],
    [{ event: 'error', ...base, message: 'no network path to u2', fatal: false }, 'Robo 1 error: no network path to u2'],
    [{ event: 'left', ...base }, 'Robo 1 left myroom'],
  ])('%j', (event, line) => {
    expect(formatEvent(event)).toBe(line);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [999_949, '999.9 kB'],
    [1_250_000, '1.3 MB'],
  ])('%d', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
