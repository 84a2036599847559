import { describe, expect, it } from 'vitest';
import { parseRoute, roomPath } from './routes';
import { signalingUrl } from './signaling-url';

describe('routes', () => {
  it.each([
    ['/', { kind: 'lobby' }],
    ['/r/friday', { kind: 'room', roomId: 'friday' }],
    ['/r/friday/', { kind: 'room', roomId: 'friday' }],
    ['/r/Team%20Sync', { kind: 'room', roomId: 'Team Sync' }],
    ['/r/%E0%A4%A', { kind: 'room', roomId: '%E0%A4%A' }],
    ['/r/', { kind: 'lobby' }],
    ['/elsewhere', { kind: 'lobby' }],
  ])('%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });

  it('round-trips a room id', () => {
    expect(parseRoute(roomPath('calm-otter-123'))).toEqual({ kind: 'room', roomId: 'calm-otter-123' });
  });
});

describe('signalingUrl', () => {
  it('uses wss on https and ws on http, on the same host', () => {
    expect(signalingUrl({ protocol: 'https:', host: 'parley.example:8443' })).toBe('wss://parley.example:8443/ws');
    expect(signalingUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/ws');
  });
});
