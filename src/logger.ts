import pino, { Logger } from 'pino';
import type { LogLevel } from './config';

/** Headers and fields that carry credentials: never written to a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'authorization',
  'apiSecret',
  'jwt',
  'token',
];

export function createLogger(level: LogLevel, format: 'json' | 'pretty' = 'json'): Logger {
  return pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    transport: format === 'pretty' ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } : undefined,
  });
}
