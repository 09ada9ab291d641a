export const plans = ['free', 'starter', 'pro', 'enterprise'] as const;
export type Plan = (typeof plans)[number];
