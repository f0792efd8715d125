import { MemoryPageStore } from '../../src/cache/page-store.memory';
import { StoredPage, pageStoreContract } from '../contracts/page-store.contract';

let clock = 1_764_578_400_000;
pageStoreContract('MemoryPageStore', async () => new MemoryPageStore<StoredPage>({ maxEntries: 10, maxBytes: 1_000_000, now: () => clock }), async (ms) => {
  clock += ms;
});

describe('MemoryPageStore bounds', () => {
  const page = (bytes: number): StoredPage => ({ pageSize: 300, nextPageToken: '', sessions: [], trackingId: undefined, bytes });

  it('forgets the least recently used past its entries or its bytes, and refuses an entry larger than all', async () => {
    const store = new MemoryPageStore<StoredPage>({ maxEntries: 2, maxBytes: 100, now: () => clock });
    await store.set('a', page(10), { ttlMs: 1_000, bytes: 10 });
    await store.set('b', page(10), { ttlMs: 1_000, bytes: 10 });
    await store.get('a');
    await store.set('c', page(10), { ttlMs: 1_000, bytes: 10 });
    await expect(store.get('b')).resolves.toBeUndefined();
    expect(store.size()).toEqual({ entries: 2, bytes: 20 });
    await store.set('big', page(90), { ttlMs: 1_000, bytes: 90 });
    await expect(store.get('a')).resolves.toBeUndefined();
    expect(store.size()).toEqual({ entries: 2, bytes: 100 });
    await store.set('huge', page(101), { ttlMs: 1_000, bytes: 101 });
    await expect(store.get('huge')).resolves.toBeUndefined();
    expect(store.size()).toEqual({ entries: 2, bytes: 100 });
  });

  it('keeps nothing when bounded at 0', async () => {
    const store = new MemoryPageStore<StoredPage>({ maxEntries: 0, maxBytes: 100, now: () => clock });
    await store.set('a', page(10), { ttlMs: 1_000, bytes: 10 });
    await expect(store.get('a')).resolves.toBeUndefined();
  });
});
