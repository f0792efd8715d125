import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ConnectionInitMessage, type ServerOptions } from 'graphql-ws';
import { WebSocket, type RawData, type WebSocketServer } from 'ws';

/** What graphql-ws's hooks see of a connection (`ctx.extra`), as its own ws binding gives it. */
export interface Extra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

/** Where a socket's trouble is told: never as a stack on stderr. */
export interface SocketLogs {
  /** The client's doing (a bad frame, a reset), which ws has answered already: told at the caller's level and rate. */
  readonly client: (socket: WebSocket, error: Error) => void;
  /** The gateway's own failure to handle a message. */
  readonly failure: (socket: WebSocket, error: unknown) => void;
}

/**
 * graphql-ws's protocol on a ws server, bound as the library's own `useServer` binds it but for
 * two things. A write to a socket the client has reset resolves rather than rejects: the socket's
 * close cleans up, while `useServer` printed each failed write (a pong, an ack) with console.error
 * and a stack, so a client that sent a burst of pings and reset wrote a stack per ping. And a
 * socket's errors go to `logs` rather than to the console.
 */
export function serveGraphqlWs<P extends ConnectionInitMessage['payload']>(
  options: ServerOptions<P, Extra>,
  wss: WebSocketServer,
  keepAliveMs: number,
  logs: SocketLogs,
): { dispose(): Promise<void> } {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  // A server made with noServer emits no 'error' of its own: only its sockets do.
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.on('error', (error: Error) => logs.client(socket, error));
    // A link that stops answering pings is cut: neither end would otherwise learn that it is gone.
    let pongWait: NodeJS.Timeout | undefined;
    const pinger = keepAliveMs > 0 && Number.isFinite(keepAliveMs)
      ? setInterval(() => {
        if (socket.readyState !== WebSocket.OPEN) return;
        pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
        socket.once('pong', () => clearTimeout(pongWait));
        socket.ping();
      }, keepAliveMs)
      : undefined;
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => new Promise<void>((resolve) => {
          if (socket.readyState !== WebSocket.OPEN) return resolve();
          socket.send(data, () => resolve());
        }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) => socket.on('message', (data: RawData) => {
          // Writes never reject (above): what is left is the gateway's own failure, whatever the socket's state.
          handle(String(data)).catch((error: unknown) => {
            logs.failure(socket, error);
            socket.close(CloseCode.InternalServerError, 'Internal server error');
          });
        }),
      },
      { socket, request },
    );
    socket.once('close', (code: number, reason: Buffer) => {
      clearTimeout(pongWait);
      clearInterval(pinger);
      closed(code, String(reason)).catch((error: unknown) => logs.failure(socket, error));
    });
  });
  return {
    dispose: async () => {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
