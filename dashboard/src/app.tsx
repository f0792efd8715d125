import { ApolloProvider } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createDashboardClient } from './apollo-client';
import { forgetApiKey, readApiKey, saveApiKey } from './api-key';
import { ApiKeyContext } from './api-key-context';
import { BUDGET_PATH } from './budget';
import { ApiKeyForm } from './components/api-key-form';
import { BudgetPage } from './pages/budget.page';
import { LivePage } from './pages/live.page';
import { SessionsPage } from './pages/sessions.page';
import { ROUTES, type RoutePath, routeOf } from './routes';

function useRoute(): RoutePath {
  const [route, setRoute] = useState(() => routeOf(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
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
  const route = useRoute();
  const signedIn = apiKey !== undefined || anonymous === true;
  const client = useMemo(() => (signedIn ? createDashboardClient(apiKey) : undefined), [apiKey, signedIn]);
  const forget = useCallback(() => {
    forgetApiKey();
    setApiKey(undefined);
  }, []);
  const keyContext = useMemo(() => ({ apiKey, forget }), [apiKey, forget]);

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
      <ApolloProvider client={client}>
        <header className="bar">
          <strong>Zoom sessions</strong>
          <nav>
            {ROUTES.map((item) => (
              <a key={item.path} href={`#/${item.path}`} aria-current={item.path === route ? 'page' : undefined}>
                {item.title}
              </a>
            ))}
          </nav>
          {apiKey === undefined ? (
            <span className="muted">anonymous access</span>
          ) : (
            <button type="button" className="link" onClick={forget}>
              Forget API key
            </button>
          )}
        </header>
        <main className="shell">{route === 'budget' ? <BudgetPage /> : route === 'live' ? <LivePage /> : <SessionsPage />}</main>
      </ApolloProvider>
    </ApiKeyContext.Provider>
  );
}
