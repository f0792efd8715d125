export class RedisTimeoutError extends Error {
  constructor(readonly what: string, readonly timeoutMs: number) {
    super(`Redis ${what} took longer than ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** The call's result, or a RedisTimeoutError once `timeoutMs` passed (the call itself is left to finish). */
export function bounded<T>(call: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(what, timeoutMs)), timeoutMs);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}
