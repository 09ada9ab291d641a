import { z } from 'zod';
import type { Setting } from '../spec.ts';

/** A vendor's credential: required for its route to be configured. */
export const credentialSetting = (env: string, description: string) => ({ env, schema: z.string().min(1).optional(), description, required: true }) as const satisfies Setting;

/** Replaces the documented origin; the documented paths are appended unchanged (so a fake on loopback works). */
export const baseUrlSetting = (env: string, documentedOrigin: string) =>
  ({ env, schema: z.url({ protocol: /^https?$/ }).default(documentedOrigin), description: `Origin of the API (default ${documentedOrigin})` }) as const satisfies Setting;
