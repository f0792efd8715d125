/**
 * The parsers every section uses. A bad value is never thrown: it is added to the list of problems
 * and the default stands in, so one start-up reports every mistake at once.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads only the names its section declares: a section cannot read a variable it does not list. */
export interface SectionReader<Name extends string> {
  /** The value as given; undefined when unset. */
  raw(name: Name): string | undefined;
  /** Trimmed; unset and blank both read as undefined. */
  optional(name: Name): string | undefined;
  /** A whole number from min to max. */
  int(name: Name, fallback: number, min: number, max: number): number;
  bool(name: Name, fallback: boolean): boolean;
  /** A number above 0 and at most 1. */
  fraction(name: Name, fallback: number): number;
  /** One of the choices; `lowercase` accepts any case. */
  oneOf<T extends string>(name: Name, choices: readonly T[], fallback: T, options?: { readonly lowercase?: boolean }): T;
  /** Comma-separated; undefined when unset or blank. */
  list(name: Name): string[] | undefined;
  /** An http(s) URL; `secret` when it may carry a credential (a token in its query), which a problem never quotes. */
  httpUrl(name: Name, options?: { readonly secret?: boolean }): string | undefined;
  /** A rule of the section that no parser states. */
  problem(message: string): void;
}

const TRUE_WORDS = ['1', 'true', 'on', 'yes'];
const FALSE_WORDS = ['0', 'false', 'off', 'no'];

export function sectionReader<Name extends string>(env: Env, problems: string[]): SectionReader<Name> {
  const optional = (name: Name): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    raw: (name) => env[name],
    optional,
    int(name, fallback, min, max) {
      const value = optional(name);
      if (value === undefined) return fallback;
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        problems.push(`${name} must be a whole number from ${min} to ${max}; got "${env[name]}".`);
        return fallback;
      }
      return Number(value);
    },
    bool(name, fallback) {
      const value = optional(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (TRUE_WORDS.includes(value)) return true;
      if (FALSE_WORDS.includes(value)) return false;
      problems.push(`${name} must be true or false; got "${env[name]}".`);
      return fallback;
    },
    fraction(name, fallback) {
      const value = optional(name);
      if (value === undefined) return fallback;
      const number = Number(value);
      if (!/^\d*\.?\d+$/.test(value) || !(number > 0 && number <= 1)) {
        problems.push(`${name} must be a fraction above 0 and at most 1; got "${env[name]}".`);
        return fallback;
      }
      return number;
    },
    oneOf(name, choices, fallback, options = {}) {
      const given = optional(name);
      if (given === undefined) return fallback;
      const value = options.lowercase ? given.toLowerCase() : given;
      const choice = choices.find((known) => known === value);
      if (choice === undefined) problems.push(`${name} must be one of ${choices.join(', ')}; got "${given}".`);
      return choice ?? fallback;
    },
    list(name) {
      if (optional(name) === undefined) return undefined;
      return (env[name] ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    },
    httpUrl(name, options) {
      const value = optional(name);
      if (value === undefined) return undefined;
      try {
        const url = new URL(value);
        if (url.protocol === 'https:' || url.protocol === 'http:') return value;
      } catch {
        // Reported below, as a value that parses to another protocol is.
      }
      problems.push(options?.secret ? `${name} must be an http(s) URL (the value is not quoted: it may hold a credential).` : `${name} must be an http(s) URL; got "${value}".`);
      return undefined;
    },
    problem(message) {
      problems.push(message);
    },
  };
}
