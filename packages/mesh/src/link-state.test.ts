import { describe, expect, it } from 'vitest';
import type { LinkState } from './events';
import { type LinkEvent, nextLinkState } from './link-state';

const pc = (state: RTCPeerConnectionState): LinkEvent => ({ type: 'connectionStateChanged', state });

const table: [LinkState, LinkEvent, LinkState][] = [
  ['new', { type: 'negotiationStarted' }, 'connecting'],
  ['connected', { type: 'negotiationStarted' }, 'connected'],
  ['new', pc('new'), 'new'],
  ['new', pc('connecting'), 'connecting'],
  ['connecting', pc('connecting'), 'connecting'],
  ['connecting', pc('connected'), 'connected'],
  ['new', pc('connected'), 'connected'],
  ['connecting', pc('disconnected'), 'connecting'],
  ['connected', pc('disconnected'), 'disconnected'],
  ['disconnected', pc('connected'), 'connected'],
  ['disconnected', pc('connecting'), 'restarting'],
  ['disconnected', pc('failed'), 'failed'],
  ['connecting', pc('failed'), 'failed'],
  ['failed', pc('connecting'), 'restarting'],
  ['restarting', pc('connected'), 'connected'],
  ['restarting', pc('failed'), 'failed'],
  ['connected', pc('closed'), 'closed'],
  ['disconnected', { type: 'iceRestartStarted' }, 'restarting'],
  ['failed', { type: 'iceRestartStarted' }, 'restarting'],
  ['connected', { type: 'iceRestartStarted' }, 'connected'],
  ['connected', { type: 'rebuilt' }, 'connecting'],
  ['failed', { type: 'rebuilt' }, 'connecting'],
  ['connected', { type: 'closeRequested' }, 'closed'],
  ['new', { type: 'closeRequested' }, 'closed'],
  ['closed', pc('connected'), 'closed'],
  ['closed', { type: 'rebuilt' }, 'closed'],
  ['closed', { type: 'negotiationStarted' }, 'closed'],
];

describe('nextLinkState', () => {
  it.each(table)('%s + %o -> %s', (from, event, to) => {
    expect(nextLinkState(from, event)).toBe(to);
  });
});
