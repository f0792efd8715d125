import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from './request-context';
import { todayUtc } from '../time/calendar';
import { dailyUsage, parseDailyUsageRange } from './daily-usage';
import { Cost } from './cost.directives';
import { DailyUsage, DailyUsageArgs } from './daily-usage.type';

@Resolver()
export class DailyUsageResolver {
  @Query(() => [DailyUsage], { description: 'Zoom\'s daily usage report, one entry per day of the range (within the last six months).' })
  // One daily report call per calendar month of the range (docs/zoom-contract.md §2).
  @Cost(1)
  dailyUsage(@Args(() => DailyUsageArgs) args: DailyUsageArgs, @Ctx() context: GatewayContext): Promise<DailyUsage[]> {
    return dailyUsage(parseDailyUsageRange(args.from, args.to, todayUtc(context.dailyUsage.now())), context.dailyUsage, context.heavyCalls);
  }
}
