import { ApolloProvider } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createDashboardClient } from './apollo-client';
import { forgetApiKey, readApiKey, saveApiKey } from './api-key';
import { ApiKeyContext } from './api-key-context';
import { ApiKeyForm } from './components/api-key-form';
import { BudgetPage } from './pages/budget.page';
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

export function App() {
  const [apiKey, setApiKey] = useState(() => readApiKey());
  const route = useRoute();
  const client = useMemo(() => (apiKey === undefined ? undefined : createDashboardClient(apiKey)), [apiKey]);
  const forget = useCallback(() => {
    forgetApiKey();
    setApiKey(undefined);
  }, []);
  const keyContext = useMemo(() => ({ apiKey, forget }), [apiKey, forget]);

  if (apiKey === undefined || client === undefined) {
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
          <button type="button" className="link" onClick={forget}>
            Forget API key
          </button>
        </header>
        <main className="shell">{route === 'budget' ? <BudgetPage /> : <SessionsPage />}</main>
      </ApolloProvider>
    </ApiKeyContext.Provider>
  );
}
