import { expect, it } from 'vitest';
import type { Generation } from '../../src/generations/generation.ts';

/** Models that have a vendor API of their own but run on a host (fal, Replicate) when only the host is configured. */
const secondRouteCases = [
  ['minimax', 'VIDEO', { resolution: '1080p' }, 'mp4'],
  ['luma', 'VIDEO', { model: 'ray-flash-2', resolution: '540p' }, 'mp4'],
  ['flux-pro', 'IMAGE', { aspectRatio: '16:9' }, 'png'],
  ['veo', 'VIDEO', { model: 'veo-3.1-fast-generate-001', duration: 4 }, 'mp4'],
] as const;

/** One `it` per model: it completes on `route`, stored and probed. */
export function itRunsSecondRoutes(route: string, run: (input: Record<string, unknown>) => Promise<Generation>) {
  it.each(secondRouteCases)('%s runs here as its second route when its vendor API is not configured', async (provider, type, options, format) => {
    const generation = await run({ provider, type, input: { text: 'a second route' }, options });
    expect(generation).toMatchObject({ status: 'COMPLETED', route, metadata: { format } });
  });
}
