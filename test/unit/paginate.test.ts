import { Page, WalkOptions, startAfter, walkPages } from '../../src/pagination/paginate';
import { readPages } from '../../src/sessions/walk-pages';

/** Runs a walk as the gateway does, reading each page it asks for from `fetchPage`. */
function walked<T>(options: WalkOptions<T, string> & { readonly fetchPage: (window: string, pageToken: string) => Promise<Page<T>> }) {
  return readPages(walkPages(options), (request) => options.fetchPage(request.window, request.pageToken));
}

/** Two windows: "new" has pages a,b,c | d,e ; "old" has f ; tokens name the next page. */
const PAGES: Record<string, Page<string>> = {
  'new:': { items: ['a', 'b', 'c'], nextPageToken: 'new-2' },
  'new:new-2': { items: ['d', 'e'], nextPageToken: '' },
  'old:': { items: ['f'], nextPageToken: '' },
};

function source() {
  const calls: string[] = [];
  const fetchPage = async (window: string, token: string): Promise<Page<string>> => {
    calls.push(`${window}:${token}`);
    const page = PAGES[`${window}:${token}`];
    if (!page) throw new Error(`no page ${window}:${token}`);
    return page;
  };
  return { calls, fetchPage };
}

const base = { windows: ['new', 'old'], idOf: (item: string) => item };

describe('walkPages', () => {
  it('reads within a page and records where each edge sits', async () => {
    const { calls, fetchPage } = source();
    const walk = await walked({ ...base, fetchPage, first: 2, start: { windowIndex: 0, pageToken: '', offset: 0 } });
    expect(walk.edges).toEqual([
      { item: 'a', page: ['a', 'b', 'c'], window: 'new', pageToken: '', offset: 0 },
      { item: 'b', page: ['a', 'b', 'c'], window: 'new', pageToken: '', offset: 1 },
    ]);
    expect(walk.hasNextPage).toBe(true);
    expect(calls).toEqual(['new:']);
  });

  it('flows across pages and windows in one walk', async () => {
    const { calls, fetchPage } = source();
    const walk = await walked({ ...base, fetchPage, first: 10, start: { windowIndex: 0, pageToken: '', offset: 1 } });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(walk.edges[1]).toEqual({ item: 'c', page: ['a', 'b', 'c'], window: 'new', pageToken: '', offset: 2, nextPageToken: 'new-2' });
    expect(walk.edges[3]).toEqual({ item: 'e', page: ['d', 'e'], window: 'new', pageToken: 'new-2', offset: 1, nextPageToken: '' });
    expect(walk.hasNextPage).toBe(false);
    expect(calls).toEqual(['new:', 'new:new-2', 'old:']);
  });

  it('says there is more when a page ends exactly at `first` but the window goes on', async () => {
    const { fetchPage } = source();
    const walk = await walked({ ...base, fetchPage, first: 3, start: { windowIndex: 0, pageToken: '', offset: 0 } });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['a', 'b', 'c']);
    expect(walk.hasNextPage).toBe(true);
  });

  it('says there is no more at the end of the last window', async () => {
    const { fetchPage } = source();
    const walk = await walked({ ...base, fetchPage, first: 1, start: { windowIndex: 1, pageToken: '', offset: 0 } });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['f']);
    expect(walk.hasNextPage).toBe(false);
  });

  it('with first: 0 returns no edge and asks for no page', async () => {
    const { calls, fetchPage } = source();
    expect(await walked({ ...base, fetchPage, first: 0, start: { windowIndex: 0, pageToken: '', offset: 0 } })).toEqual({ edges: [], hasNextPage: true });
    expect(await walked({ ...base, fetchPage, first: 0, start: { windowIndex: 2, pageToken: '', offset: 0 } })).toEqual({ edges: [], hasNextPage: false });
    expect(calls).toEqual([]);
  });

  it('skips a session that shows up twice in one walk', async () => {
    const fetchPage = async (_window: string, token: string): Promise<Page<string>> =>
      token === '' ? { items: ['x', 'y'], nextPageToken: 't2' } : { items: ['y', 'z'], nextPageToken: '' };
    const walk = await walked({ windows: ['w'], idOf: (item: string) => item, fetchPage, first: 5, start: { windowIndex: 0, pageToken: '', offset: 0 } });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['x', 'y', 'z']);
  });

  it('does not fetch when the start lies past the last window', async () => {
    const { calls, fetchPage } = source();
    const walk = await walked({ ...base, fetchPage, first: 5, start: { windowIndex: 2, pageToken: '', offset: 0 } });
    expect(walk).toEqual({ edges: [], hasNextPage: false });
    expect(calls).toEqual([]);
  });
});

describe('walkPages in steps', () => {
  it('asks for one page at a time and reads none itself', () => {
    const steps = walkPages({ ...base, first: 4, start: { windowIndex: 0, pageToken: '', offset: 0 } });
    expect(steps.next().value).toEqual({ window: 'new', pageToken: '' });
    expect(steps.next(PAGES['new:']).value).toEqual({ window: 'new', pageToken: 'new-2' });
    const end = steps.next(PAGES['new:new-2']);
    expect(end.done).toBe(true);
    expect(end.done && end.value.edges.map((edge) => edge.item)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('takes a page that could not be read while looking ahead as not holding the item, and goes on where it stood', () => {
    const steps = walkPages({ windows: ['w'], idOf: (item: string) => item, first: 5, start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 'B' }) });
    expect(steps.next().value).toEqual({ window: 'w', pageToken: '' });
    expect(steps.next({ items: ['X', 'Y', 'Z'], nextPageToken: 'p2' }).value).toEqual({ window: 'w', pageToken: 'p2' });
    // The look-ahead's read fails: the walk continues on the first page, where B stood.
    expect(steps.throw(new Error('zoom down')).value).toEqual({ window: 'w', pageToken: 'p2' });
    const end = steps.next({ items: ['C'], nextPageToken: '' });
    expect(end.done && end.value.edges.map((edge) => edge.item)).toEqual(['Y', 'Z', 'C']);
  });
});

describe('walkPages after a page has shifted', () => {
  const shifted = (items: string[]) => async (): Promise<Page<string>> => ({ items, nextPageToken: '' });
  const idOf = (item: string) => item;

  it('continues after the last item seen when a new one arrived above it', async () => {
    const walk = await walked({ windows: ['w'], idOf, first: 2, fetchPage: shifted(['new', 's1', 's2', 's3']), start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 's2' }) });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['s3']);
  });

  it('continues after the last item seen when one above it left', async () => {
    const walk = await walked({ windows: ['w'], idOf, first: 2, fetchPage: shifted(['s2', 's3', 's4']), start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 's2' }) });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['s3', 's4']);
  });

  it('continues where the item seen stood when it is gone, and never repeats it', async () => {
    const walk = await walked({ windows: ['w'], idOf, first: 5, fetchPage: shifted(['s1', 's3', 's4']), start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 's2' }) });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['s3', 's4']);
    const next = await walked({ windows: ['w'], idOf, first: 5, fetchPage: shifted(['s2', 's5']), start: startAfter({ windowIndex: 0, pageToken: 'p1', offset: 9, nextPageToken: 'p2', id: 's2' }) });
    expect(next.edges.map((edge) => edge.item)).toEqual(['s5']);
  });
});

describe('walkPages after the item seen left a page whose source keeps an order', () => {
  const idOf = (item: string) => item;
  // Items named by rank, descending as in a newest-first list: the gone item "s5" stood between s6 and s4.
  const placeGone = (items: readonly string[]) => {
    const index = items.findIndex((item) => item < 's5');
    return index < 0 ? items.length : index;
  };

  it('continues with what followed it, though items above it left too', async () => {
    const walk = await walked({ windows: ['w'], idOf, first: 2, placeGone, fetchPage: async () => ({ items: ['s4', 's3', 's2'], nextPageToken: '' }), start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 's5' }) });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['s4', 's3']);
  });

  it('shows none of the items that arrived above it', async () => {
    const walk = await walked({ windows: ['w'], idOf, first: 3, placeGone, fetchPage: async () => ({ items: ['s9', 's8', 's7', 's6', 's4', 's3'], nextPageToken: '' }), start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 's5' }) });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['s4', 's3']);
  });

  it('ends the window when nothing followed it', async () => {
    const walk = await walked({ windows: ['w'], idOf, first: 3, placeGone, fetchPage: async () => ({ items: ['s9', 's6'], nextPageToken: '' }), start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 's5' }) });
    expect(walk.edges).toEqual([]);
    expect(walk.hasNextPage).toBe(false);
  });

  it('looks on the next page, as without an order, when all of this page stands above it', async () => {
    const pages: Record<string, Page<string>> = { '': { items: ['s9', 's8'], nextPageToken: 'p2' }, p2: { items: ['s5', 's4'], nextPageToken: '' } };
    const walk = await walked({ windows: ['w'], idOf, first: 3, placeGone, fetchPage: async (_w, token) => pages[token], start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 's5' }) });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['s4']);
  });
});

describe('walkPages after sessions pushed the last one seen onward', () => {
  const idOf = (item: string) => item;
  it('skips it when it was the last of its page and now heads the next read', async () => {
    const pages: Record<string, Page<string>> = { '': { items: ['X', 'Y', 'A'], nextPageToken: 'p2' }, p2: { items: ['B', 'C', 'D'], nextPageToken: '' } };
    const walk = await walked({ windows: ['w'], idOf, first: 5, fetchPage: async (_w, token) => pages[token], start: startAfter({ windowIndex: 0, pageToken: '', offset: 2, nextPageToken: 'p2', id: 'C' }) });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['D']);
  });

  it('follows it onto the next page when new sessions pushed it off its own', async () => {
    const pages: Record<string, Page<string>> = { '': { items: ['X', 'Y', 'Z', 'W', 'A'], nextPageToken: 'p2' }, p2: { items: ['B', 'C', 'D'], nextPageToken: '' } };
    const walk = await walked({ windows: ['w'], idOf, first: 5, fetchPage: async (_w, token) => pages[token], start: startAfter({ windowIndex: 0, pageToken: '', offset: 1, id: 'B' }) });
    expect(walk.edges.map((edge) => edge.item)).toEqual(['C', 'D']);
  });
});

describe('startAfter', () => {
  it('continues in the same page after an inner edge', () => {
    expect(startAfter({ windowIndex: 0, pageToken: 't1', offset: 4 })).toEqual({ windowIndex: 0, pageToken: 't1', offset: 5 });
  });
  it('continues on the next page, unread, after a page\'s last edge', () => {
    expect(startAfter({ windowIndex: 0, pageToken: 't1', offset: 299, nextPageToken: 't2' })).toEqual({ windowIndex: 0, pageToken: 't2', offset: 0 });
  });
  it('continues in the next window after a window\'s last edge', () => {
    expect(startAfter({ windowIndex: 0, pageToken: 't2', offset: 9, nextPageToken: '' })).toEqual({ windowIndex: 1, pageToken: '', offset: 0 });
  });
  it('remembers the session seen, and where it stood when it shares the page', () => {
    expect(startAfter({ windowIndex: 0, pageToken: 't1', offset: 4, id: 'abc' })).toEqual({ windowIndex: 0, pageToken: 't1', offset: 5, after: { id: 'abc', offset: 4 } });
    expect(startAfter({ windowIndex: 0, pageToken: 't1', offset: 4, nextPageToken: 't2', id: 'abc' })).toEqual({ windowIndex: 0, pageToken: 't2', offset: 0, after: { id: 'abc' } });
  });
});
