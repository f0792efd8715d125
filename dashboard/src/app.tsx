import { ApolloProvider } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createDashboardClient } from './apollo-client';
import { forgetApiKey, readApiKey, saveApiKey } from './api-key';
import { ApiKeyContext } from './api-key-context';
import { BUDGET_PATH } from './budget';
import { ApiKeyForm } from './components/api-key-form';
import { TimeZoneContext, useTimeZone, useTimeZoneSetting } from './hooks/time-zone';
import { BudgetPage } from './pages/budget.page';
import { LivePage } from './pages/live.page';
import { SessionPage } from './pages/session.page';
import { SessionsPage } from './pages/sessions.page';
import { UsagePage } from './pages/usage.page';
import { ROUTES, routeOf, sessionRouteOf } from './routes';

/** The whole hash, not just the page: opening another session changes only the id. */
function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

function Page({ hash }: { readonly hash: string }) {
  switch (routeOf(hash)) {
    case 'budget':
      return <BudgetPage />;
    case 'live':
      return <LivePage />;
    case 'usage':
      return <UsagePage />;
    case 'session': {
      const session = sessionRouteOf(hash);
      // The key drops the previous session's participants and chosen metric at once.
      return session ? <SessionPage key={`${session.type}:${session.id}`} id={session.id} type={session.type} /> : <p className="empty">This link names no session.</p>;
    }
    default:
      return <SessionsPage />;
  }
}

/** UTC by default (Zoom's times, alike for everyone); the browser's zone on request, kept across visits. */
function TimeZoneSwitch() {
  const { choice, browserZone, choose } = useTimeZone();
  return (
    <label className="zone-switch">
      Times in
      <select value={choice} onChange={(event) => choose(event.target.value === 'local' ? 'local' : 'utc')}>
        <option value="utc">UTC</option>
        <option value="local">{browserZone ? `local (${browserZone})` : 'local time'}</option>
      </select>
    </label>
  );
}

/**
 * Whether the gateway asks for a credential at all: a gateway started without API keys (npm start
 * on a laptop) is anonymous, and asking for a key there would only confuse.
 */
function useAnonymousAccess(): boolean | undefined {
  const [anonymous, setAnonymous] = useState<boolean | undefined>();
  useEffect(() => {
    fetch(BUDGET_PATH, { cache: 'no-store' })
      .then((response) => setAnonymous(response.ok))
      .catch(() => setAnonymous(false));
  }, []);
  return anonymous;
}

export function App() {
  const [apiKey, setApiKey] = useState(() => readApiKey());
  const anonymous = useAnonymousAccess();
  const hash = useHash();
  const route = routeOf(hash);
  const signedIn = apiKey !== undefined || anonymous === true;
  const client = useMemo(() => (signedIn ? createDashboardClient(apiKey) : undefined), [apiKey, signedIn]);
  const forget = useCallback(() => {
    forgetApiKey();
    setApiKey(undefined);
  }, []);
  const keyContext = useMemo(() => ({ apiKey, forget }), [apiKey, forget]);
  const timeZone = useTimeZoneSetting();

  if (apiKey === undefined && anonymous === undefined) return <main className="shell muted">Connecting to the gateway…</main>;
  if (client === undefined) {
    return (
      <main className="shell">
        <ApiKeyForm
          onSave={(key) => {
            saveApiKey(key);
            setApiKey(readApiKey());
          }}
        />
      </main>
    );
  }
  return (
    <ApiKeyContext.Provider value={keyContext}>
      <TimeZoneContext.Provider value={timeZone}>
        <ApolloProvider client={client}>
          <header className="bar">
            <strong className="brand">Zoom sessions</strong>
            <nav aria-label="Pages">
              {ROUTES.map((item) => (
                <a key={item.path} href={`#/${item.path}`} aria-current={item.path === route ? 'page' : undefined}>
                  {item.title}
                </a>
              ))}
            </nav>
            <div className="bar-tools">
              <TimeZoneSwitch />
              {apiKey === undefined ? (
                <span className="muted">anonymous access</span>
              ) : (
                <button type="button" className="link" onClick={forget}>
                  Forget API key
                </button>
              )}
            </div>
          </header>
          <main className="shell">
            <Page hash={hash} />
          </main>
        </ApolloProvider>
      </TimeZoneContext.Provider>
    </ApiKeyContext.Provider>
  );
}
