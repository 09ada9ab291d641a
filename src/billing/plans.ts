export const plans = ['free', 'starter', 'pro', 'enterprise'] as const;
export type Plan = (typeof plans)[number];

export interface PlanLimits {
  /** `generate` calls per rolling minute. */
  perMinute: number;
  /** Generations running upstream at once; more wait as QUEUED. */
  concurrent: number;
  /** `generate` calls per UTC day; 0 means unlimited. */
  perDay: number;
}

/** The seed's plan table; enterprise is set per account (`admin accounts limits`), these are its defaults. */
export const planLimits: Record<Plan, PlanLimits> = {
  free: { perMinute: 10, concurrent: 1, perDay: 100 },
  starter: { perMinute: 30, concurrent: 3, perDay: 1_000 },
  pro: { perMinute: 60, concurrent: 10, perDay: 10_000 },
  enterprise: { perMinute: 600, concurrent: 50, perDay: 0 },
};

export type LimitOverrides = Partial<PlanLimits>;

export function limitsFor(plan: Plan, overrides: LimitOverrides = {}): PlanLimits {
  const base = planLimits[plan] ?? planLimits.free;
  return {
    perMinute: overrides.perMinute ?? base.perMinute,
    concurrent: overrides.concurrent ?? base.concurrent,
    perDay: overrides.perDay ?? base.perDay,
  };
}
