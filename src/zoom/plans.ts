/** Zoom's plans as the rate-limit table names them (docs/zoom-contract.md §5). */
export type ZoomPlan = 'pro' | 'business';
export const ZOOM_PLANS: readonly ZoomPlan[] = ['pro', 'business'];

export interface PlanLimits {
  /** Resource-intensive (List sessions), per minute. */
  readonly resourceIntensivePerMinute: number;
  /** Heavy (details, participants, QoS, reports), per second. */
  readonly heavyPerSecond: number;
  /** Medium, per second; counted per minute by the gateway. */
  readonly mediumPerSecond: number;
  /** The daily cap Heavy and Resource-intensive share. */
  readonly dailyLimit: number;
}

/**
 * Zoom's table (docs/zoom-contract.md §5, confidence H/M): "Most Video SDK plans get Business+
 * limits", hence the default. Individual settings override a plan's figure.
 */
export const ZOOM_PLAN_LIMITS: Readonly<Record<ZoomPlan, PlanLimits>> = {
  pro: { resourceIntensivePerMinute: 10, heavyPerSecond: 10, mediumPerSecond: 20, dailyLimit: 30_000 },
  business: { resourceIntensivePerMinute: 20, heavyPerSecond: 40, mediumPerSecond: 60, dailyLimit: 60_000 },
};
