import { z } from 'zod';
import type { Setting } from '../spec.ts';

/** A vendor's credential: required for its route to be configured. */
export const credentialSetting = (env: string, description: string) => ({ env, schema: z.string().min(1).optional(), description, required: true }) as const satisfies Setting;

/** Replaces the documented origin; the documented paths are appended unchanged (so a fake on loopback works). */
export const baseUrlSetting = (env: string, documentedOrigin: string) =>
  ({ env, schema: z.url({ protocol: /^https?$/ }).default(documentedOrigin), description: `Origin of the API (default ${documentedOrigin})` }) as const satisfies Setting;

/**
 * How many tasks the vendor lets one account run at once: a generation over it waits (QUEUED) instead of being
 * sent to fail. Unset, the route is not limited here. The registry reads it under the name `maxConcurrency`.
 */
export const concurrencySetting = (env: string, documented?: number) =>
  ({
    env,
    schema: documented === undefined ? z.coerce.number().int().positive().optional() : z.coerce.number().int().positive().default(documented),
    description: `Tasks this upstream runs at once for the account${documented === undefined ? ' (unset: no limit here)' : ` (default ${documented}, the vendor's documented limit)`}`,
  }) as const satisfies Setting;
