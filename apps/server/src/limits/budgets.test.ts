import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createLocalBudgets, type Budget } from './budgets';

const perUser: Budget = { name: 'test.user', perS: 1, burst: 2 };
const perRoom: Budget = { name: 'test.room', perS: 1, burst: 3 };

describe('local budgets', () => {
  it('take from every bucket charged, or from none when one is short, and say when to come back', async () => {
    const clock = createFakeClock();
    const budgets = createLocalBudgets(clock);
    const ada = [{ budget: perUser, key: 'ada' }, { budget: perRoom, key: 'den' }];
    const bob = [{ budget: perUser, key: 'bob' }, { budget: perRoom, key: 'den' }];
    expect(await budgets.take(ada)).toEqual({ ok: true });
    expect(await budgets.take(ada)).toEqual({ ok: true });
    expect(await budgets.take(ada)).toEqual({ ok: false, retryAfterMs: 1000 });
    // Ada's refused third took nothing from the room: Bob still finds one token there.
    expect(await budgets.peek(bob)).toEqual({ ok: true });
    expect(await budgets.take(bob)).toEqual({ ok: true });
    expect(await budgets.take(bob)).toEqual({ ok: false, retryAfterMs: 1000 });
    clock.advance(1000);
    expect(await budgets.take(bob)).toEqual({ ok: true });
  });

  it('keep budgets of different names apart, whatever the key', async () => {
    const budgets = createLocalBudgets(createFakeClock());
    for (let i = 0; i < 2; i++) await budgets.take([{ budget: perUser, key: 'same' }]);
    expect(await budgets.take([{ budget: perUser, key: 'same' }])).toMatchObject({ ok: false });
    expect(await budgets.take([{ budget: perRoom, key: 'same' }])).toEqual({ ok: true });
  });
});
