import { describe, expect, it } from 'vitest';
import { RemoteStreams } from './remote-streams';

const stream = (id: string) => ({ id }) as unknown as MediaStream;

describe('RemoteStreams', () => {
  it("hands a participant's stream to whoever listens for that participant, and only to them", () => {
    const streams = new RemoteStreams();
    const heard: string[] = [];
    streams.subscribe('u2', () => heard.push(`u2:${streams.get('u2')?.stream.id ?? 'none'}`));
    streams.subscribe('u3', () => heard.push('u3'));
    streams.arrived('u2', stream('a'));
    expect(heard).toEqual(['u2:a']);
  });

  it('makes a new entry for every track, even on the same stream, so playback starts again', () => {
    const streams = new RemoteStreams();
    const same = stream('a');
    streams.arrived('u2', same);
    const first = streams.get('u2');
    streams.arrived('u2', same);
    expect(streams.get('u2')).not.toBe(first);
    expect(streams.get('u2')?.stream).toBe(same);
  });

  it('forgets who left, and everyone when the visit ends', () => {
    const streams = new RemoteStreams();
    let changes = 0;
    streams.subscribe('u2', () => changes++);
    streams.arrived('u2', stream('a'));
    streams.forget('u2');
    expect(streams.get('u2')).toBeUndefined();
    streams.arrived('u2', stream('b'));
    streams.arrived('u3', stream('c'));
    streams.clear();
    expect([streams.get('u2'), streams.get('u3')]).toEqual([undefined, undefined]);
    expect(changes).toBe(4);
  });

  it('stops telling a listener that unsubscribed', () => {
    const streams = new RemoteStreams();
    let changes = 0;
    const off = streams.subscribe('u2', () => changes++);
    off();
    streams.arrived('u2', stream('a'));
    expect(changes).toBe(0);
  });
});
