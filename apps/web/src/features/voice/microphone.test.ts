import { describe, expect, it } from 'vitest';
import { classifyMicError, describeMicError } from './microphone';

const domError = (name: string) => Object.assign(new Error('x'), { name });

describe('microphone errors', () => {
  it('explains a denied permission', () => {
    expect(describeMicError(classifyMicError(domError('NotAllowedError')))).toBe(
      "Microphone access was denied. Allow it in your browser's site settings, then try again.",
    );
  });

  it('explains a missing microphone', () => {
    expect(describeMicError(classifyMicError(domError('NotFoundError')))).toBe(
      'No microphone was found. Plug one in, then try again.',
    );
  });

  it('names any other error in the message', () => {
    expect(describeMicError(classifyMicError(domError('WeirdError')))).toContain('WeirdError');
    expect(describeMicError(classifyMicError(domError('NotReadableError')))).toContain('NotReadableError');
  });

  it('copes with a rejection that is not an Error at all', () => {
    expect(classifyMicError('nope')).toEqual({ kind: 'other', name: 'UnknownError' });
  });
});
