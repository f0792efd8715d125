import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from './request-context';
import { SessionConnection } from './session-connection.type';
import { Cost, ConnectionSize } from './cost.directives';
import { DEFAULT_FIRST, SessionsArgs, parseSessionsArgs } from './sessions.args';

@Resolver()
export class SessionsResolver {
  @Query(() => SessionConnection, {
    description:
      'Zoom Video SDK sessions in a date range, as a Relay connection. Follow `pageInfo.endCursor` with `after` to page forward; ' +
      'ranges longer than a month flow on across months, newest month first. Without `from` and `to`, the month that ends today (UTC): ' +
      '`{ sessions { nodes { sessionName } } }` lists what is live now, `sessions(type: PAST)` what ended in the last month.',
  })
  // One List sessions call per page of 300 (docs/zoom-contract.md §1), per month window of the range.
  @Cost(1)
  @ConnectionSize(DEFAULT_FIRST)
  sessions(@Args(() => SessionsArgs) args: SessionsArgs, @Ctx() context: GatewayContext): Promise<SessionConnection> {
    return context.sessions.connection(parseSessionsArgs(args, context.sessions.rules()));
  }
}
