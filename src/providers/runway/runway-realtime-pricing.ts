import { runwayCreditUsd, runwayRealtimeCreditsPerMinute, runwayRealtimeMaxSeconds } from './runway-pricing.ts';

/** What Runway charges for a GWM-1 realtime session, in US dollars by length, and the longest it lets one run. */
export const runwayRealtimePricing = {
  maxSeconds: runwayRealtimeMaxSeconds,
  usdFor: (seconds: number) => (seconds / 60) * runwayRealtimeCreditsPerMinute * runwayCreditUsd,
};
