import type { Page } from '../../src/pagination/paginate';
import { walkPages } from '../../src/pagination/paginate';
import { relocate } from '../../src/pagination/relocate';
import { readPages } from '../../src/sessions/walk-pages';

/** Finds an item again as the gateway does, reading each page relocate asks for from `fetchPage`. */
function located(options: { readonly fetchPage: (pageToken: string) => Promise<Page<string>>; readonly idOf: (item: string) => string; readonly id: string }) {
  return readPages(relocate(options), options.fetchPage);
}

const PAGES: Record<string, Page<string>> = {
  '': { items: ['a', 'b', 'c'], nextPageToken: 'fresh-2' },
  'fresh-2': { items: ['d', 'e'], nextPageToken: '' },
};
const fetchPage = async (token: string) => PAGES[token];

describe('relocate', () => {
  it('finds an item again from the window\'s first page', async () => {
    await expect(located({ fetchPage, idOf: (item: string) => item, id: 'b' })).resolves.toEqual({ pageToken: '', offset: 1 });
    await expect(located({ fetchPage, idOf: (item: string) => item, id: 'd' })).resolves.toEqual({ pageToken: 'fresh-2', offset: 0 });
  });
  it('notes the next token when the item ends its page', async () => {
    await expect(located({ fetchPage, idOf: (item: string) => item, id: 'c' })).resolves.toEqual({ pageToken: '', offset: 2, nextPageToken: 'fresh-2' });
  });
  it('gives up when the window no longer holds the item', async () => {
    await expect(located({ fetchPage, idOf: (item: string) => item, id: 'z' })).resolves.toBeUndefined();
  });
  it('does not loop on a token that repeats', async () => {
    const looping = async () => ({ items: ['x'], nextPageToken: 'same' });
    await expect(located({ fetchPage: looping, idOf: (item: string) => item, id: 'z' })).resolves.toBeUndefined();
  });
});

describe('walkPages stopped by a call cap', () => {
  class Stop extends Error {}
  it('passes on, as it was thrown, a failed read that does not stop the walk (and so does relocate)', async () => {
    const failure = new Error('zoom down');
    const fail = async (): Promise<Page<string>> => {
      throw failure;
    };
    const steps = walkPages({ windows: ['w'], start: { windowIndex: 0, pageToken: '', offset: 0 }, first: 1, idOf: (item: string) => item, stopOn: (error) => error instanceof Stop });
    await expect(readPages(steps, fail)).rejects.toBe(failure);
    await expect(readPages(relocate({ idOf: (item: string) => item, id: 'a' }), fail)).rejects.toBe(failure);
  });

  it('returns what it has, says more follows, and names the unread page', async () => {
    const windows = ['w1', 'w2'];
    const walk = await readPages(
      walkPages({ windows, start: { windowIndex: 0, pageToken: '', offset: 0 }, first: 10, idOf: (item: string) => item, stopOn: (error) => error instanceof Stop }),
      async ({ window, pageToken }) => {
        if (window === 'w1' && pageToken === '') return { items: ['a', 'b'], nextPageToken: 't2' };
        throw new Stop();
      },
    );
    expect(walk.edges.map((edge) => edge.item)).toEqual(['a', 'b']);
    expect(walk.edges[1].nextPageToken).toBe('t2');
    expect(walk.hasNextPage).toBe(true);
    expect(walk.stoppedBefore).toEqual({ windowIndex: 0, pageToken: 't2' });
  });
});
