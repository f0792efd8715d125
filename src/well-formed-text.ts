/**
 * Unicode that is well formed: a lone surrogate (a JSON escape such as "\ud800", which JSON.parse
 * keeps as is) is no character, is refused by encodeURIComponent, and would reach Zoom or a log as
 * garbage. Every way text comes in checks it here: request bodies and query strings, what a
 * base64 global id decodes to, webhook events.
 */

/** In `u` mode a surrogate pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Whether every string in a parsed JSON value (keys included) is well-formed Unicode. */
export function isWellFormedJson(value: unknown): boolean {
  if (typeof value === 'string') return isWellFormedText(value);
  if (Array.isArray(value)) return value.every(isWellFormedJson);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).every(([key, item]) => isWellFormedText(key) && isWellFormedJson(item));
  }
  return true;
}
