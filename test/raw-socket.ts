import { Socket, connect } from 'node:net';

/** A client that speaks HTTP by hand over TCP: slow, pipelining or broken, as a test needs. */
export class RawClient {
  private readonly chunks: Buffer[] = [];
  readonly socket: Socket;
  readonly closed: Promise<number>;
  private readonly opened = performance.now();

  constructor(port: number, options: { read?: boolean } = {}) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('error', () => undefined);
    if (options.read === false) this.socket.pause();
    else this.socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    // Resolves with the milliseconds from connect to close.
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve(performance.now() - this.opened)));
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Writes `text` one character every `everyMs` until done or the socket closes. */
  async trickle(text: string, everyMs: number): Promise<void> {
    for (const char of text) {
      if (this.socket.destroyed || this.socket.closed) return;
      this.socket.write(char);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  received(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  receivedBytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** The first HTTP response received: status and parsed JSON body. */
  response(): { status: number; body: { errors?: { message: string; extensions?: { code?: unknown } }[] } } {
    const text = this.received();
    const headEnd = text.indexOf('\r\n\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
    return { status, body: JSON.parse(text.slice(headEnd + 4)) as never };
  }

  close(): void {
    this.socket.destroy();
  }
}

export function postRequest(port: number, body: string, headers: Record<string, string> = {}): string {
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}
