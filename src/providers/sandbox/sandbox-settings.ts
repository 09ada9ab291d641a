import { z } from 'zod';
import { defineSettings } from '../spec.ts';

export const sandboxSettings = defineSettings({
  latencyMs: {
    env: 'SANDBOX_LATENCY_MS',
    schema: z.coerce.number().int().nonnegative().default(3000),
    description: 'How long a sandbox generation takes, in ms (default 3000; [sandbox:slow] multiplies it by ten)',
  },
});
