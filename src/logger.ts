import pino, { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config';

/** Headers and fields that carry credentials: never written to a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'authorization',
  'apiSecret',
  'apiKey',
  'jwt',
  'token',
];

/** JSON lines for machines; pino-pretty for people in development. A destination is for tests that read the lines. */
export function createLogger(level: LogLevel, format: 'json' | 'pretty' = 'json', destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (format === 'pretty') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(options);
}
