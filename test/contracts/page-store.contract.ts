import type { PageStore } from '../../src/cache/page-store';

/** A page as the session list's store keeps it (plain JSON, so every store's codec takes it). */
export interface StoredPage {
  pageSize: number;
  nextPageToken: string;
  sessions: { id: string }[];
  trackingId: string | undefined;
  bytes: number;
}

const PAGE: StoredPage = { pageSize: 300, nextPageToken: 'tok', sessions: [{ id: 's1' }], trackingId: 'trk', bytes: 42 };

/**
 * What every page store must do. `fresh` gives a store with no entries; `expire` lets `ms`
 * pass on the store's clock (the memory store's test clock, or real time for Redis).
 */
export function pageStoreContract(name: string, fresh: () => Promise<PageStore<StoredPage>>, expire: (ms: number) => Promise<void>): void {
  describe(`${name} (page store contract)`, () => {
    it('gives back what it was given, equal, and misses a key never set', async () => {
      const store = await fresh();
      await store.set('k', PAGE, { ttlMs: 5_000, bytes: PAGE.bytes });
      await expect(store.get('k')).resolves.toEqual(PAGE);
      await expect(store.get('other')).resolves.toBeUndefined();
    });

    it('replaces a key, forgets it on delete, and takes a delete of a key it never held', async () => {
      const store = await fresh();
      await store.set('k', PAGE, { ttlMs: 5_000, bytes: PAGE.bytes });
      await store.set('k', { ...PAGE, nextPageToken: '' }, { ttlMs: 5_000, bytes: PAGE.bytes });
      await expect(store.get('k')).resolves.toMatchObject({ nextPageToken: '' });
      await store.delete('k');
      await expect(store.get('k')).resolves.toBeUndefined();
      await expect(store.delete('never')).resolves.toBeUndefined();
    });

    it('keeps nothing with a TTL of 0, and serves nothing past its TTL', async () => {
      const store = await fresh();
      await store.set('none', PAGE, { ttlMs: 0, bytes: PAGE.bytes });
      await expect(store.get('none')).resolves.toBeUndefined();
      await store.set('short', PAGE, { ttlMs: 100, bytes: PAGE.bytes });
      await store.set('long', PAGE, { ttlMs: 60_000, bytes: PAGE.bytes });
      await expire(200);
      await expect(store.get('short')).resolves.toBeUndefined();
      await expect(store.get('long')).resolves.toEqual(PAGE);
    });
  });
}
