import { ClientQuota } from '../../src/budget/client-quota';
import { MemoryClientQuotaStore } from '../../src/budget/client-quota-store.memory';
import { CallBudget, CallCapReached, JointBudget } from '../../src/sessions/call-budget';

describe('CallBudget refunds', () => {
  it('gives back the quota of the very call that was not made, in its own day, whatever was spent after it', async () => {
    let now = Date.parse('2026-11-20T23:59:59.900Z');
    const store = new MemoryClientQuotaStore(() => now);
    const quota = new ClientQuota(store, { perMinute: 0, perDay: 100 });
    const budget = new CallBudget(10, undefined, () => quota.take('key:a'));
    const refused = await budget.spend();
    now = Date.parse('2026-11-21T00:00:00.100Z');
    await budget.spend();
    // The first call never reached Zoom: the new day keeps the second, which did.
    refused();
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.usedToday('key:a')).toBe(1);
  });

  it('gives back the request\'s allowance once per refund, and counts no client for a call charged elsewhere', async () => {
    let takes = 0;
    const budget = new CallBudget(2, undefined, async () => void (takes += 1));
    const first = await budget.spend();
    await budget.spend(false);
    await expect(budget.spend()).rejects.toBeInstanceOf(CallCapReached);
    first();
    first();
    await budget.spend();
    await expect(budget.spend()).rejects.toBeInstanceOf(CallCapReached);
    expect(takes).toBe(2);
  });
});

describe('JointBudget', () => {
  it('counts each call against both caps, charges the client once, refunds both, and names the Heavy cap when it is the one spent', async () => {
    let charged = 0;
    const onCall = async () => {
      charged += 1;
    };
    const request = new CallBudget(3, undefined, onCall);
    const heavy = new CallBudget(1, request.log, onCall);
    const joint = new JointBudget(request, heavy, (cap) => new Error(`heavy cap ${cap}`));
    const refund = await joint.spend();
    expect(charged).toBe(1);
    await expect(joint.spend()).rejects.toThrow('heavy cap 1');
    // The request's call the refused one took came back: two left of three.
    refund();
    await joint.spend();
    await request.spend(false);
    await request.spend(false);
    // The request's cap spent: the request's own error, as a walk past it gets.
    await expect(joint.spend()).rejects.toBeInstanceOf(CallCapReached);
    expect(charged).toBe(2);
  });
});

describe('JointBudget, lookups started together', () => {
  it('names the cap that is really spent (found by review: one past the Heavy cap held a request slot another saw as spent)', async () => {
    const request = new CallBudget(3, undefined, async () => undefined);
    const heavy = new CallBudget(2, request.log, async () => undefined);
    const joint = new JointBudget(request, heavy, (cap) => new Error(`heavy cap ${cap}`));
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => joint.spend()));
    expect(results.map((result) => (result.status === 'fulfilled' ? 'made' : (result.reason as Error).message))).toEqual(['made', 'made', 'heavy cap 2', 'heavy cap 2']);
    const wider = new JointBudget(new CallBudget(2), new CallBudget(3), (cap) => new Error(`heavy cap ${cap}`));
    const refused = await Promise.allSettled([0, 1, 2, 3].map(() => wider.spend()));
    expect(refused.map((result) => (result.status === 'fulfilled' ? 'made' : result.reason instanceof CallCapReached ? 'request cap' : 'other'))).toEqual(['made', 'made', 'request cap', 'request cap']);
  });
});
