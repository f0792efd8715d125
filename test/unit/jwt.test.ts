import { ZoomJwtSigner, signZoomJwt } from '../../src/zoom/auth';

describe('Zoom JWT', () => {
  it('signs HS256 with iss = API key', () => {
    expect(signZoomJwt('key', 'secret', 1_800_000_000, 3600)).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJrZXkiLCJpYXQiOjE4MDAwMDAwMDAsImV4cCI6MTgwMDAwMzYwMH0.' +
        signatureOf('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJrZXkiLCJpYXQiOjE4MDAwMDAwMDAsImV4cCI6MTgwMDAwMzYwMH0'),
    );
  });

  it('reuses a token until five minutes before it expires', () => {
    let now = 1_800_000_000_000;
    const signer = new ZoomJwtSigner('key', 'secret', () => now);
    const first = signer.current();
    now += 54 * 60_000;
    expect(signer.current()).toBe(first);
    now += 2 * 60_000;
    expect(signer.current()).not.toBe(first);
  });
});

function signatureOf(signingInput: string): string {
  // Independent of the code under test: node's HMAC over the literal signing input.
  return require('node:crypto').createHmac('sha256', 'secret').update(signingInput).digest('base64url');
}
