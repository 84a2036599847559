import { describe, expect, it } from 'vitest';
import { classifyEpoch, type DescriptionContext, type DescriptionDecision, decideOnRemoteDescription, isPolite } from './negotiation';

describe('isPolite', () => {
  it('makes exactly one side of a pair polite', () => {
    expect(isPolite('u-a', 'u-b')).not.toBe(isPolite('u-b', 'u-a'));
  });
});

const base: DescriptionContext = {
  descriptionType: 'offer',
  polite: false,
  makingOffer: false,
  signalingState: 'stable',
  settingRemoteAnswerPending: false,
};

describe('decideOnRemoteDescription', () => {
  const table: [string, Partial<DescriptionContext>, DescriptionDecision][] = [
    ['an offer while stable', {}, 'accept'],
    ['an offer while stable, polite', { polite: true }, 'accept'],
    ['glare, impolite', { makingOffer: true, signalingState: 'have-local-offer' }, 'ignore'],
    ['glare, polite', { polite: true, makingOffer: true, signalingState: 'have-local-offer' }, 'rollbackThenAccept'],
    ['glare after our offer was set, polite', { polite: true, signalingState: 'have-local-offer' }, 'rollbackThenAccept'],
    ['glare while our offer is being created, polite', { polite: true, makingOffer: true }, 'accept'],
    ['glare while our offer is being created, impolite', { makingOffer: true }, 'ignore'],
    ['an offer while our answer is being applied', { signalingState: 'have-local-offer', settingRemoteAnswerPending: true }, 'accept'],
    ['the answer we wait for', { descriptionType: 'answer', signalingState: 'have-local-offer' }, 'accept'],
    ['an answer nobody asked for', { descriptionType: 'answer', signalingState: 'stable' }, 'ignore'],
  ];
  it.each(table)('%s -> %s', (_why, overrides, decision) => {
    expect(decideOnRemoteDescription({ ...base, ...overrides })).toBe(decision);
  });
});

describe('classifyEpoch', () => {
  it.each([
    [undefined, 0, 'current'],
    [undefined, 1700000000000, 'current'],
    [5, 5, 'current'],
    [5, 4, 'stale'],
    [5, 6, 'newer'],
  ] as const)('remote %s, signal %s -> %s', (remote, epoch, verdict) => {
    expect(classifyEpoch(remote, epoch)).toBe(verdict);
  });
});
