import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl, upstreamError } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { lumaFailure } from './luma-failures.ts';
import type { LumaOptions } from './luma-options.ts';
import { buildLumaVideo } from './luma-request.ts';

const lumaOperationSchema = z.object({ generationId: z.string().min(1) });
type LumaOperation = z.infer<typeof lumaOperationSchema>;

/** A generation as Luma returns it (the `lumaai` SDK's Generation). */
const lumaGenerationSchema = z.object({
  id: z.string(),
  state: z.enum(['queued', 'dreaming', 'completed', 'failed']),
  failure_reason: z.string().nullish(),
  assets: z.object({ video: z.string().nullish(), image: z.string().nullish() }).nullish(),
});

const apiPath = '/dream-machine/v1';

/** Luma's Dream Machine API: create a video generation, poll it, delete it to cancel. */
export function createLumaClient(settings: { apiKey: string; baseUrl: string }): Connector<LumaOperation, LumaOptions> {
  const headers = { authorization: `Bearer ${settings.apiKey}`, accept: 'application/json' };
  const url = (path: string) => joinUrl(settings.baseUrl, `${apiPath}${path}`);

  function readGeneration(body: unknown) {
    const generation = lumaGenerationSchema.safeParse(body);
    if (!generation.success) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Luma answered with a generation this gateway does not understand', { retryable: true });
    return generation.data;
  }

  return {
    operationSchema: lumaOperationSchema,

    async submit(request) {
      const response = await callUpstream({ method: 'POST', url: url('/generations/video'), headers, body: buildLumaVideo(request) });
      if (response.status >= 300) throw upstreamError('Luma', response);
      return { generationId: readGeneration(response.body).id };
    },

    async poll({ generationId }): Promise<PollResult> {
      const response = await callUpstream({ method: 'GET', url: url(`/generations/${encodeURIComponent(generationId)}`), headers });
      if (response.status !== 200) throw upstreamError('Luma', response);
      const generation = readGeneration(response.body);
      switch (generation.state) {
        case 'queued':
          return { status: 'pending', started: false };
        case 'dreaming':
          return { status: 'pending', started: true };
        case 'failed':
          return lumaFailure(generation.failure_reason ?? undefined);
        case 'completed': {
          const video = generation.assets?.video;
          if (!video) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Luma reported a completed generation without its video', { retryable: true });
          return { status: 'completed', outputs: [{ url: video }] };
        }
      }
    },

    async cancel({ generationId }) {
      const response = await callUpstream({ method: 'DELETE', url: url(`/generations/${encodeURIComponent(generationId)}`), headers });
      if (response.status >= 300 && response.status !== 404) throw upstreamError('Luma', response);
    },
  };
}
