import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter';

type Events = { greeted: { name: string }; counted: number };

describe('Emitter', () => {
  it('delivers each payload to the listeners of that event only', () => {
    const emitter = new Emitter<Events>();
    const greeted: string[] = [];
    const counted: number[] = [];
    emitter.on('greeted', ({ name }) => greeted.push(name));
    emitter.on('counted', (n) => counted.push(n));
    emitter.emit('greeted', { name: 'Ada' });
    emitter.emit('counted', 2);
    expect(greeted).toEqual(['Ada']);
    expect(counted).toEqual([2]);
  });

  it('stops delivering after unsubscribe', () => {
    const emitter = new Emitter<Events>();
    const counted: number[] = [];
    const off = emitter.on('counted', (n) => counted.push(n));
    emitter.on('greeted', () => undefined);
    emitter.emit('counted', 1);
    expect(emitter.listenerCount()).toBe(2);
    off();
    emitter.emit('counted', 2);
    expect(counted).toEqual([1]);
    expect(emitter.listenerCount()).toBe(1);
  });

  it('keeps delivering to other listeners when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<Events>((_name, error) => errors.push(error));
    const counted: number[] = [];
    emitter.on('counted', () => {
      throw new Error('boom');
    });
    emitter.on('counted', (n) => counted.push(n));
    emitter.emit('counted', 7);
    expect(counted).toEqual([7]);
    expect(errors).toHaveLength(1);
  });

  it('lets a listener unsubscribe itself while an event is being delivered', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    const off = emitter.on('counted', () => {
      seen.push('first');
      off();
    });
    emitter.on('counted', () => seen.push('second'));
    emitter.emit('counted', 1);
    emitter.emit('counted', 2);
    expect(seen).toEqual(['first', 'second', 'second']);
  });
});
