/**
 * Removes credentials from text the gateway did not write itself (an upstream's error body, a
 * proxy's echo of the request, a network error naming a URL) before it is returned or logged.
 * Pure and cheap: it runs on error paths only.
 */

/** `Bearer <anything up to whitespace or a quote>`, as an echoed Authorization header shows it. */
const BEARER = /\b(bearer)(\s+|%20|\+)[^\s"'<>,;]+/gi;
/**
 * A JWT: base64url JSON header (`eyJ` is `{"`), payload and optional signature. Wherever it starts:
 * after a word character too (`token_eyJ…`, an escaped `\u0020eyJ…`), which a word boundary missed.
 */
const JWT = /eyJ[\w-]*\.[\w-]+\.?[\w-]*/g;
/** `scheme://user:password@host`: user-info carries a password in plain text. */
const USER_INFO = /\b([a-z][a-z\d+.-]*:\/\/)[^/\s@"'<>]+@/gi;
/** `Basic <base64>`, the other scheme an echoed Authorization header may show. */
const BASIC = /\b(basic)(\s+|%20|\+)[A-Za-z\d+/=]{8,}/gi;

export const REDACTED = '[redacted]';

export function scrubSecrets(text: string): string {
  return text
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1$2${REDACTED}`)
    .replace(BASIC, `$1$2${REDACTED}`)
    .replace(USER_INFO, `$1${REDACTED}@`);
}
