import { GraphQLError, buildSchema, parse, specifiedRules, validate } from 'graphql';
import { ClientQuotaError } from '../../src/budget/client-quota';
import { UNEXPECTED_ERRORS_LOGGED_PER_MINUTE, VALIDATION_ABORTED_MESSAGE, ZOOM_ERRORS_LOGGED_PER_MINUTE, createFormatError } from '../../src/errors';
import { ZoomHttpError } from '../../src/zoom/errors';

/** What formatError wrote, by level. */
function recorder(): { lines: { level: 'error' | 'info'; message: string }[]; logger: { error(details: Record<string, unknown>, message: string): void; info(details: Record<string, unknown>, message: string): void } } {
  const lines: { level: 'error' | 'info'; message: string }[] = [];
  return { lines, logger: { error: (_details, message) => void lines.push({ level: 'error', message }), info: (_details, message) => void lines.push({ level: 'info', message }) } };
}

/** A resolver's error as Apollo hands it to formatError. */
function asResolved(original: Error): [{ message: string; path: string[] }, GraphQLError] {
  const error = new GraphQLError(original.message, { originalError: original, path: ['session'] });
  return [{ message: error.message, path: ['session'] }, error];
}

describe('how Zoom errors are logged', () => {
  it('logs what clients cause at will (a spent quota, an id Zoom does not know) at info, and Zoom failures at error', () => {
    const { lines, logger } = recorder();
    const format = createFormatError(logger, { hideSuggestions: false, now: () => 0 });
    format(...asResolved(new ClientQuotaError('minute', 60, 1_000)));
    format(...asResolved(new ZoomHttpError(404, 3001, 'Session does not exist')));
    format(...asResolved(new ZoomHttpError(502, undefined, 'Bad gateway')));
    expect(lines).toEqual([
      { level: 'info', message: 'zoom call refused or not found' },
      { level: 'info', message: 'zoom call refused or not found' },
      { level: 'error', message: 'zoom call failed' },
    ]);
  });

  it('writes at most ZOOM_ERRORS_LOGGED_PER_MINUTE lines of each kind a minute of its clock, however many a client causes', () => {
    const { lines, logger } = recorder();
    let now = 1_000_000;
    const format = createFormatError(logger, { hideSuggestions: false, now: () => now });
    const burst = (): void => {
      for (let request = 0; request < 1_000; request += 1) {
        format(...asResolved(new ZoomHttpError(404, 3001, 'Session does not exist')));
        format(...asResolved(new ZoomHttpError(500, undefined, 'Internal error')));
      }
    };
    burst();
    expect(lines.filter((line) => line.level === 'info')).toHaveLength(ZOOM_ERRORS_LOGGED_PER_MINUTE);
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(ZOOM_ERRORS_LOGGED_PER_MINUTE);
    now += 59_999;
    burst();
    expect(lines).toHaveLength(2 * ZOOM_ERRORS_LOGGED_PER_MINUTE);
    // The clock it is given, not the machine's, opens the next minute.
    now += 1;
    burst();
    expect(lines).toHaveLength(4 * ZOOM_ERRORS_LOGGED_PER_MINUTE);
  });
});

describe('errors nobody foresaw', () => {
  it('are masked for the client, and logged with their stacks at most UNEXPECTED_ERRORS_LOGGED_PER_MINUTE times a minute', () => {
    const { lines, logger } = recorder();
    let now = 5_000_000;
    const format = createFormatError(logger, { hideSuggestions: false, now: () => now });
    const answers = Array.from({ length: 500 }, () => format(...asResolved(new URIError('URI malformed'))));
    expect(answers.every((answer) => answer.message === 'Internal server error' && answer.extensions?.code === 'INTERNAL_SERVER_ERROR')).toBe(true);
    expect(lines).toHaveLength(UNEXPECTED_ERRORS_LOGGED_PER_MINUTE);
    expect(lines.every((line) => line.level === 'error' && line.message === 'unexpected error')).toBe(true);
    now += 60_000;
    format(...asResolved(new URIError('URI malformed')));
    expect(lines).toHaveLength(UNEXPECTED_ERRORS_LOGGED_PER_MINUTE + 1);
  });
});

describe('a document graphql-js gives up validating', () => {
  it('is told why, with the validation code', () => {
    const schema = buildSchema('type Query { a: Int }');
    // graphql-js compares fields of one name pairwise, within a budget: a thousand of them exhaust it.
    const [aborted] = validate(schema, parse(`{ ${'__typename '.repeat(1_000)}}`), specifiedRules);
    const { logger } = recorder();
    expect(createFormatError(logger, { hideSuggestions: false, now: () => 0 })({ message: aborted.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, aborted)).toEqual({
      message: VALIDATION_ABORTED_MESSAGE,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
