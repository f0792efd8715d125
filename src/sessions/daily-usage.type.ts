import { DateResolver } from 'graphql-scalars';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import type { WireDailyUsage } from '../zoom/wire-inside';

@ObjectType({ description: 'One day of Zoom\'s daily usage report (UTC days).' })
export class DailyUsage {
  @Field(() => DateResolver) date!: Date;

  @Field(() => Int, { description: 'Sessions held that day.' }) sessions!: number;

  @Field(() => Int, { description: 'Users who joined that day\'s sessions.' }) users!: number;

  @Field(() => Int, { description: 'Minutes of those sessions, summed over their users.' }) sessionMinutes!: number;
}

@ArgsType()
export class DailyUsageArgs {
  @Field(() => DateResolver, { description: 'First day of the range (UTC), within the last six months.' }) from!: Date;

  @Field(() => DateResolver, { description: 'Last day of the range (UTC), inclusive; days after today are not reported.' }) to!: Date;
}

export function toDailyUsage(wire: WireDailyUsage): DailyUsage {
  return { date: new Date(`${wire.date}T00:00:00Z`), sessions: wire.sessions, users: wire.users, sessionMinutes: wire.session_minutes };
}
