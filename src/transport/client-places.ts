import { GraphQLError } from 'graphql';
import type { ClientIdentity } from '../auth/client-auth';
import type { LiveConfig } from '../config';
import { ErrorCode } from '../errors';

/**
 * Who a subscriber is, for its caps: its API key or JWT subject (the token itself when it names
 * none) when access asks for one, else its address (through the trusted-proxy rule). Never
 * anything else it sends: with anonymous access any made-up key would be a new client, and a
 * header written another way (`bearer`, two spaces) would make one token several clients.
 */
export function clientKeyOf(identity: ClientIdentity, address: string): string {
  if (identity.kind === 'api-key') return `key:${identity.keyId}`;
  if (identity.kind === 'jwt') return identity.subject !== undefined ? `jwt:${identity.subject}` : `token:${identity.tokenId}`;
  return `address:${address}`;
}

/** `setting` names the limit by its setting (`limit` would read as a document limit to formatError). */
function limitError(message: string, setting: string, max: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, setting, max } });
}

/** A connection's own count of subscriptions (a socket, or an event stream holding one). */
export interface ConnectionPlaces {
  subscriptions: number;
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left <= 0) counts.delete(key);
  else counts.set(key, left);
}

/** Connections in all and per client, and subscriptions per client, across every transport (WebSocket and SSE). */
export class ClientPlaces {
  private readonly subscriptions = new Map<string, number>();
  private readonly connections = new Map<string, number>();
  private taken = 0;
  private makeRoom: () => boolean = () => false;

  constructor(private readonly live: Pick<LiveConfig, 'subscriptionsPerClient' | 'subscriptionsPerConnection' | 'maxConnections'>) {}

  /**
   * How a place is freed when every one is held (the WebSocket server gives up its oldest socket
   * that sent no connection_init): so a newcomer on any transport, event streams too, gets it.
   */
  freeWith(makeRoom: () => boolean): void {
    this.makeRoom = makeRoom;
  }

  /** Every place (SUBSCRIPTIONS_MAX_CONNECTIONS) is held by an open socket or event stream. */
  get full(): boolean {
    return this.taken >= this.live.maxConnections;
  }

  /** One of the places in all, or undefined when they are all held and none can be freed; returns how to give it back. */
  takePlace(): (() => void) | undefined {
    if (this.full && (!this.makeRoom() || this.full)) return undefined;
    this.taken += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.taken -= 1;
    };
  }

  /**
   * A connection for `client`, or undefined past its cap: idle connections are no use past the
   * client's subscriptions, and without this cap one client could hold every place.
   */
  openConnection(client: string): (() => void) | undefined {
    const open = this.connections.get(client) ?? 0;
    if (open >= this.live.subscriptionsPerClient) return undefined;
    this.connections.set(client, open + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      decrement(this.connections, client);
    };
  }

  /** Takes a place for one subscription, or throws SUBSCRIPTION_LIMIT_EXCEEDED; returns how to give it back. */
  takeSubscription(client: string, connection: ConnectionPlaces): () => void {
    const { subscriptionsPerConnection, subscriptionsPerClient } = this.live;
    if (connection.subscriptions >= subscriptionsPerConnection) {
      throw limitError(`This connection holds ${subscriptionsPerConnection} subscriptions, the most allowed; open another connection or end one.`, 'SUBSCRIPTIONS_MAX_PER_CONNECTION', subscriptionsPerConnection);
    }
    const count = this.subscriptions.get(client) ?? 0;
    if (count >= subscriptionsPerClient) {
      throw limitError(`This client holds ${subscriptionsPerClient} subscriptions, the most allowed; end some first.`, 'SUBSCRIPTIONS_MAX_PER_CLIENT', subscriptionsPerClient);
    }
    connection.subscriptions += 1;
    this.subscriptions.set(client, count + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      connection.subscriptions -= 1;
      decrement(this.subscriptions, client);
    };
  }
}
