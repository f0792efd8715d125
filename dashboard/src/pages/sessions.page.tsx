import { useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { failureOf } from '../apollo-failure';
import { FailureNotice } from '../components/failure-notice';
import { SessionRow } from '../components/session-row';
import { StaleBanner } from '../components/stale-banner';
import { isValidRange, lastMonth } from '../date-range';
import type { Failure } from '../failure';
import { DashboardSessionsDocument } from '../generated/graphql';
import { routeParams } from '../routes';
import { sessionsCsv, sessionsCsvName } from '../sessions-csv';
import { type SessionFilters, SessionsFilters } from './sessions-filters';

/** Sessions per page: a screenful and a half, so the list scrolls before the next page is asked. */
export const SESSIONS_PAGE_SIZE = 25;

/** Marked once, when the first answer is on screen: the e2e test and bench read it as time to first render. */
export const FIRST_RENDER_MARK = 'dashboard:sessions-first-render';

function filtersFromHash(hash: string, nowMs: number): SessionFilters {
  const params = routeParams(hash);
  const fallback = lastMonth(nowMs);
  const range = { from: params.get('from') ?? fallback.from, to: params.get('to') ?? fallback.to };
  return {
    ...(isValidRange(range) ? range : fallback),
    type: params.get('type') === 'LIVE' ? 'LIVE' : 'PAST',
    sessionName: params.get('sessionName') ?? '',
    sessionKey: params.get('sessionKey') ?? '',
  };
}

function hashOf(filters: SessionFilters): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to, type: filters.type });
  if (filters.sessionName) params.set('sessionName', filters.sessionName);
  if (filters.sessionKey) params.set('sessionKey', filters.sessionKey);
  return `#/sessions?${params.toString()}`;
}

/** Hands the rows loaded so far to the browser as a file: nothing more is asked of the gateway. */
function downloadCsv(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click has started the download; the object URL is not needed after this task.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** How close to the screen the end of the list may come before the next page is asked. */
const PREFETCH_MARGIN_PX = 200;

/**
 * Whether the element at the end of the list is (nearly) on screen: that is when the next page is
 * asked. The observer only reports changes, and a page that just rendered may have pushed the
 * element away before its report arrives, so the answer is checked against the layout as well.
 */
function useVisible(element: HTMLElement | null): () => boolean {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (!element) return undefined;
    const observer = new IntersectionObserver((entries) => setVisible(entries.some((entry) => entry.isIntersecting)), { rootMargin: `${PREFETCH_MARGIN_PX}px` });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return useCallback(() => visible && element !== null && element.getBoundingClientRect().top < window.innerHeight + PREFETCH_MARGIN_PX, [visible, element]);
}

interface ShownFailure {
  readonly failure: Failure;
  readonly at: number;
}

export function SessionsPage() {
  const [filters, setFilters] = useState(() => filtersFromHash(window.location.hash, Date.now()));
  const variables = {
    type: filters.type,
    from: filters.from,
    to: filters.to,
    first: SESSIONS_PAGE_SIZE,
    sessionName: filters.sessionName || undefined,
    sessionKey: filters.sessionKey || undefined,
  };
  const { data, error, loading, fetchMore, refetch } = useQuery(DashboardSessionsDocument, { variables, notifyOnNetworkStatusChange: true });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreFailure, setMoreFailure] = useState<ShownFailure | undefined>();
  const [sentinel, setSentinel] = useState<HTMLElement | null>(null);
  const sentinelVisible = useVisible(sentinel);
  const firstRender = useRef(false);

  const connection = data?.sessions;
  const edges = connection?.edges ?? [];
  const pageInfo = connection?.pageInfo;

  const loadMore = useCallback(() => {
    if (!pageInfo?.hasNextPage || !pageInfo.endCursor) return;
    setLoadingMore(true);
    setMoreFailure(undefined);
    fetchMore({ variables: { after: pageInfo.endCursor } })
      .then((result) => {
        if (result.error) setMoreFailure({ failure: failureOf(result.error), at: Date.now() });
      })
      .catch((reason: unknown) => setMoreFailure({ failure: failureOf(reason), at: Date.now() }))
      .finally(() => setLoadingMore(false));
  }, [fetchMore, pageInfo?.endCursor, pageInfo?.hasNextPage]);

  useEffect(() => {
    if (!loading && !loadingMore && moreFailure === undefined && sentinelVisible()) loadMore();
  }, [sentinelVisible, loading, loadingMore, moreFailure, loadMore]);

  useEffect(() => {
    if (data && !firstRender.current) {
      firstRender.current = true;
      performance.mark(FIRST_RENDER_MARK);
    }
  }, [data]);

  const apply = (next: SessionFilters) => {
    setMoreFailure(undefined);
    setFilters(next);
    window.history.replaceState(null, '', hashOf(next));
  };

  // A new error (even with the same wait) restarts the countdown; a re-render does not.
  const errorAt = useMemo(() => Date.now(), [error]);
  const shown = moreFailure ?? (error ? { failure: failureOf(error), at: errorAt } : undefined);

  return (
    <section>
      <h1>Sessions</h1>
      <SessionsFilters value={filters} onApply={apply} />
      <StaleBanner operationName="DashboardSessions" />
      {shown ? <FailureNotice failure={shown.failure} startedAt={shown.at} onRetry={() => (moreFailure ? setMoreFailure(undefined) : void refetch().catch(() => undefined))} /> : null}
      <div className="list-head">
        <p className="muted" data-testid="loaded-count">
          {loading && !data ? 'Loading…' : `${edges.length} session${edges.length === 1 ? '' : 's'}${pageInfo?.hasNextPage ? ', more below' : ''}`}
        </p>
        <button type="button" className="secondary" disabled={edges.length === 0} onClick={() => downloadCsv(sessionsCsvName(filters), sessionsCsv(edges.map((edge) => edge.node)))}>
          Download CSV ({edges.length} row{edges.length === 1 ? '' : 's'})
        </button>
      </div>
      <table className="sessions">
        <thead>
          <tr>
            <th>Session</th>
            <th>Started</th>
            <th className="num">Duration</th>
            <th className="num">Participants</th>
            <th>Quality</th>
            <th>Used</th>
          </tr>
        </thead>
        <tbody>
          {edges.map((edge) => (
            <SessionRow key={edge.node.id} session={edge.node} />
          ))}
        </tbody>
      </table>
      {data && edges.length === 0 ? <p className="empty">No sessions in this range.</p> : null}
      <div ref={setSentinel} className="sentinel" data-testid="list-end">
        {loadingMore ? 'Loading more…' : pageInfo && !pageInfo.hasNextPage && edges.length > 0 ? 'That is every session in this range.' : ''}
      </div>
    </section>
  );
}
