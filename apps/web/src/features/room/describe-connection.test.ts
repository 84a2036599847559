import { describe, expect, it } from 'vitest';
import { describeConnection } from './describe-connection';

describe('describeConnection', () => {
  it('says it is reconnecting and offers to retry at once', () => {
    expect(describeConnection('reconnecting', false)).toEqual({ tone: 'pending', text: 'Reconnecting…', canRetry: true });
  });

  it('drops the offer once connected again', () => {
    expect(describeConnection('connected', false)).toEqual({ tone: 'ok', text: 'Connected', canRetry: false });
  });

  it('does not offer a retry while a connection attempt is already running', () => {
    expect(describeConnection('connecting', false).canRetry).toBe(false);
  });

  it('says the room moved to another tab when this session was replaced', () => {
    expect(describeConnection('closed', true)).toMatchObject({ tone: 'bad', text: 'Open in another tab', canRetry: false });
    expect(describeConnection('closed', false)).toMatchObject({ tone: 'bad', text: 'Disconnected' });
  });
});
