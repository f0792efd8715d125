/**
 * The API key is typed once and kept for the browser session only (sessionStorage): closing the
 * tab forgets it, and it never sits in localStorage or a cookie the server would see.
 */
const STORAGE_KEY = 'zoom-gateway.api-key';

export function readApiKey(storage: Storage = sessionStorage): string | undefined {
  const key = storage.getItem(STORAGE_KEY);
  return key === null || key === '' ? undefined : key;
}

export function saveApiKey(key: string, storage: Storage = sessionStorage): void {
  storage.setItem(STORAGE_KEY, key.trim());
}

export function forgetApiKey(storage: Storage = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}
