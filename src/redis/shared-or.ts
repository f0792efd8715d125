/**
 * What every fallback wrapper does with a call on the shared backend (Redis) that must not fail its
 * caller: on failure, `onFailure` hears of it (the wrapper's fallback metric) and `instead` gives
 * what the seam's contract says a failed call answers, or throws where the caller must know.
 */
export async function sharedOr<T>(call: () => Promise<T>, onFailure: (error: unknown) => void, instead: (error: unknown) => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    onFailure(error);
    return instead(error);
  }
}
