import { useReactiveVar } from '@apollo/client/react';
import { formatDateTime } from '../format';
import { useTimeZone } from '../hooks/time-zone';
import { lastAnswerStaleness } from '../stale';

/** Shown while the last answer to `operationName` came from the gateway's cache instead of Zoom. */
export function StaleBanner({ operationName }: { readonly operationName: string }) {
  const staleness = useReactiveVar(lastAnswerStaleness)[operationName];
  const { timeZone } = useTimeZone();
  if (!staleness?.stale) return null;
  return (
    <div className="notice stale" role="status" data-testid="stale">
      <strong>Showing saved data.</strong> Zoom could not be asked just now, so this is what the gateway last saw
      {staleness.fetchedAt ? ` (fetched ${formatDateTime(staleness.fetchedAt, timeZone)})` : ''}.
    </div>
  );
}
