import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The API keys clients may send in `x-api-key`. Keys are compared as SHA-256 digests in
 * constant time, against every key (no early exit), so timing tells nothing about any key.
 * Keys from a file are re-read on reload(): rotation without a restart or a dropped request.
 */
export class ApiKeyStore {
  private digests: Buffer[];
  /** Keys the file held at the last reload. */
  private fileKeys = 0;

  constructor(
    private readonly staticKeys: readonly string[],
    private readonly file: string | undefined,
  ) {
    this.digests = staticKeys.map(digest);
  }

  /**
   * Re-reads the key file; the new list takes effect atomically, for the next request. A file that holds no key
   * once it held some is refused, keeping the keys in force: a file caught half-written (not replaced by a rename)
   * would otherwise revoke every key, and end every subscription held with one.
   */
  async reload(): Promise<number> {
    const fromFile = this.file === undefined ? [] : (await readFile(this.file, 'utf8')).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
    if (this.file !== undefined && fromFile.length === 0 && this.fileKeys > 0) throw new Error(`${this.file} holds no key`);
    this.fileKeys = fromFile.length;
    this.digests = [...this.staticKeys, ...fromFile].map(digest);
    return this.digests.length;
  }

  matches(candidate: string): boolean {
    const given = digest(candidate);
    let found = false;
    for (const known of this.digests) found = timingSafeEqual(given, known) || found;
    return found;
  }
}
