import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createOutbox } from './outbox';

/** An outbox writing into a stream held in memory, which the test can take offline. */
function setup() {
  const clock = createFakeClock();
  const stream: string[] = [];
  let online = true;
  const lost: string[] = [];
  const outbox = createOutbox<string>({
    write: (event, serial) => stream.push(`${serial}:${event}`),
    writable: () => online,
    clock,
    timeoutMs: 10_000,
    onLost: (event) => lost.push(event),
  });
  const outcomes = new Map<string, string>();
  const send = (event: string, ahead = false) =>
    void outbox.send(event, ahead).then(
      () => outcomes.set(event, 'handled'),
      (err: Error) => outcomes.set(event, err.message),
    );
  return {
    clock,
    stream,
    lost,
    outbox,
    send,
    outcomes,
    offline: () => (online = false),
    online: () => (online = true),
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the outbox', () => {
  it('numbers what a node says in order, and settles each once the node has read it back', async () => {
    const { stream, outbox, send, outcomes } = setup();
    send('a');
    send('b');
    send('c');
    outbox.handled(2);
    await settled();
    expect(stream).toEqual(['1:a', '2:b', '3:c']);
    expect(Object.fromEntries(outcomes)).toEqual({ a: 'handled', b: 'handled' });
  });

  it('keeps what is said while the connection is down, and writes it when it is back', () => {
    const h = setup();
    h.offline();
    h.send('a');
    h.send('b');
    expect(h.stream).toEqual([]);
    h.online();
    h.outbox.rewrite();
    expect(h.stream).toEqual(['1:a', '2:b']);
  });

  it('writes again, with the same numbers and before anything new, whatever was not read back when the connection dropped', () => {
    const h = setup();
    h.send('a');
    h.send('b');
    h.outbox.handled(1);
    h.offline();
    h.send('c');
    h.online();
    h.outbox.rewrite();
    expect(h.stream).toEqual(['1:a', '2:b', '2:b', '3:c']);
  });

  it('while holding, lets a request ahead, and writes the re-announcements before what was said meanwhile', () => {
    const h = setup();
    h.outbox.hold();
    h.send('said while catching up');
    h.send('request', true);
    expect(h.stream).toEqual(['1:request']);
    h.outbox.release(['re-announced']);
    expect(h.stream).toEqual(['1:request', '2:re-announced', '3:said while catching up']);
  });

  it('gives up what was not read back in time: the caller hears so, and it is never written again', async () => {
    const h = setup();
    h.offline();
    h.send('a');
    h.outbox.release(['b']);
    h.clock.advance(10_000);
    await settled();
    expect(h.outcomes.get('a')).toMatch(/not read back/);
    expect(h.lost).toEqual(['b']);
    h.online();
    h.outbox.rewrite();
    h.send('c');
    expect(h.stream).toEqual(['1:c']);
  });
});
