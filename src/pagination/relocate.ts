import type { Page, PageSteps } from './paginate';

export interface Found {
  readonly pageToken: string;
  readonly offset: number;
  /** Present when the item is the last of its page. */
  readonly nextPageToken?: string;
}

/**
 * Finds an item again by id, reading a window from its first page: how a cursor whose Zoom
 * token has expired gets a fresh position. Undefined when the window no longer holds it. Like
 * the walk (paginate.ts), it yields the token of each page it needs and is resumed with the page.
 */
export function* relocate<T>(options: { readonly idOf: (item: T) => string; readonly id: string }): PageSteps<string, T, Found | undefined> {
  const seenTokens = new Set<string>();
  for (let pageToken = ''; !seenTokens.has(pageToken); ) {
    seenTokens.add(pageToken);
    const page: Page<T> = yield pageToken;
    const offset = page.items.findIndex((item) => options.idOf(item) === options.id);
    if (offset >= 0) {
      return offset === page.items.length - 1 ? { pageToken, offset, nextPageToken: page.nextPageToken } : { pageToken, offset };
    }
    if (page.nextPageToken === '') return undefined;
    pageToken = page.nextPageToken;
  }
  return undefined;
}
