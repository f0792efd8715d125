import { useState } from 'react';

/** Typed once per browser session; the gateway checks it on the first request. */
export function ApiKeyForm({ onSave }: { readonly onSave: (key: string) => void }) {
  const [key, setKey] = useState('');
  return (
    <form
      className="card key-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (key.trim() !== '') onSave(key);
      }}
    >
      <h1>Zoom sessions dashboard</h1>
      <p>Enter an API key of this gateway (one of its API_KEYS). It is kept in this tab only, until you close it.</p>
      <label>
        API key
        <input name="apiKey" type="password" autoComplete="off" value={key} onChange={(event) => setKey(event.target.value)} autoFocus />
      </label>
      <button type="submit" disabled={key.trim() === ''}>
        Open dashboard
      </button>
    </form>
  );
}
