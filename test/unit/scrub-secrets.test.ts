import { scrubSecrets } from '../../src/scrub-secrets';
import { sdkProblemText } from '../../src/tracing/tracing';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJrZXkiLCJleHAiOjE3OTk5OTk5OTl9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('scrubSecrets', () => {
  it.each([
    [`Authorization: Bearer ${JWT}`, 'Authorization: Bearer [redacted]'],
    ['authorization: bearer opaque-token-123', 'authorization: bearer [redacted]'],
    ['GET /v2?x=1 Bearer%20abc.def', 'GET /v2?x=1 Bearer%20[redacted]'],
    [`<td>${JWT}</td>`, '<td>[redacted]</td>'],
    [`"token":"${JWT}"`, '"token":"[redacted]"'],
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', '[redacted]'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [redacted]'],
    ['request to https://user:s3cret@api.example.com/v2/videosdk failed', 'request to https://[redacted]@api.example.com/v2/videosdk failed'],
    ['http://only-user@10.0.0.7:8080/x', 'http://[redacted]@10.0.0.7:8080/x'],
    // Found by review: a word boundary missed a token right after a word character.
    [`token_${JWT}`, 'token_[redacted]'],
    [`"Bearer\\u0020${JWT}"`, '"Bearer\\u0020[redacted]"'],
  ])('%s', (input, expected) => {
    expect(scrubSecrets(input)).toBe(expected);
  });

  it.each([
    'Zoom answered 404 (code 3001): Session does not exist.',
    'The next page token is invalid or expired.',
    'mail someone@example.com about https://api.zoom.us/v2/videosdk/sessions',
    'eyJ alone is not a token',
  ])('leaves plain text alone: %s', (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe('sdkProblemText', () => {
  it('keeps the collector headers\' values out of what the log says of an SDK problem, whatever their form', () => {
    const echoed = 'OTLPExporterError: Bad Request {"data":"{\\"x-api-key\\":\\"collector-echo-secret\\",\\"authorization\\":\\"Basic dXNlcjpwYXNzd29yZA==\\"}"}';
    const text = sdkProblemText(echoed, { 'x-api-key': 'collector-echo-secret', authorization: 'Basic dXNlcjpwYXNzd29yZA==' });
    expect(text).not.toContain('collector-echo-secret');
    expect(text).not.toContain('dXNlcjpwYXNzd29yZA');
    expect(text).toContain('Bad Request');
    expect(sdkProblemText('x'.repeat(2_000), {})).toHaveLength(500);
  });
});
