import { useApiKey } from '../api-key-context';
import type { Failure } from '../failure';
import { useCountdown } from '../hooks/countdown';

function Wait({ failure, startedAt, onRetry, title }: { readonly failure: Failure & { retryAfterSeconds: number }; readonly startedAt: number; readonly onRetry: () => void; readonly title: string }) {
  const left = useCountdown(failure.retryAfterSeconds, startedAt, onRetry);
  return (
    <div className="notice wait" role="status" data-testid="rate-limited">
      <strong>{title}</strong>
      <p>
        {left > 0 ? (
          <>
            Trying again by itself in <span data-testid="retry-after">{left}</span> s.
          </>
        ) : (
          'Trying again now…'
        )}
      </p>
      <details>
        <summary>What the gateway said</summary>
        <p>{failure.message}</p>
      </details>
    </div>
  );
}

/** A failure as a person should read it: a wait with its countdown, a key to re-enter, or the message. */
export function FailureNotice({ failure, startedAt, onRetry }: { readonly failure: Failure; readonly startedAt: number; readonly onRetry: () => void }) {
  const { forget } = useApiKey();
  switch (failure.kind) {
    case 'rate-limited':
      return <Wait failure={failure} startedAt={startedAt} onRetry={onRetry} title="Zoom's rate limit for this account is used up for the moment." />;
    case 'zoom-unavailable':
      return <Wait failure={failure} startedAt={startedAt} onRetry={onRetry} title="Zoom is not answering right now." />;
    case 'unauthenticated':
      return (
        <div className="notice error" role="alert" data-testid="unauthenticated">
          <strong>The gateway did not accept this API key.</strong>
          <p>{failure.message}</p>
          <button type="button" onClick={forget}>
            Enter another key
          </button>
        </div>
      );
    case 'other':
      return (
        <div className="notice error" role="alert" data-testid="failure">
          <strong>{failure.code ?? 'Error'}</strong>
          <p>{failure.message}</p>
          <button type="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      );
  }
}
