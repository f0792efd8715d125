import { createContext, useContext } from 'react';

export interface ApiKeyState {
  readonly apiKey: string | undefined;
  /** Drops the key (the gateway refused it, or the person asked), which shows the key form again. */
  readonly forget: () => void;
}

export const ApiKeyContext = createContext<ApiKeyState>({ apiKey: undefined, forget: () => undefined });

export function useApiKey(): ApiKeyState {
  return useContext(ApiKeyContext);
}
