import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl, upstreamError } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { heygenFailure } from './heygen-failures.ts';
import type { HeygenOptions } from './heygen-options.ts';
import { buildHeygenVideo } from './heygen-request.ts';

const heygenOperationSchema = z.object({ videoId: z.string().min(1) });
type HeygenOperation = z.infer<typeof heygenOperationSchema>;

const createdSchema = z.object({ data: z.object({ video_id: z.string().min(1) }) });
const videoSchema = z.object({
  data: z.object({
    id: z.string(),
    status: z.enum(['pending', 'waiting', 'processing', 'completed', 'failed']),
    video_url: z.string().nullish(),
    failure_code: z.string().nullish(),
    failure_message: z.string().nullish(),
  }),
});

/** HeyGen's v3 video API: create an avatar video, poll it, store its presigned URL at once; DELETE stops one. */
export function createHeygenClient(settings: { apiKey: string; baseUrl: string }): Connector<HeygenOperation, HeygenOptions> {
  const headers = { 'x-api-key': settings.apiKey };
  const url = (path: string) => joinUrl(settings.baseUrl, path);

  return {
    operationSchema: heygenOperationSchema,

    async submit(request) {
      const body = buildHeygenVideo(request, request.generationId);
      const response = await callUpstream({ method: 'POST', url: url('/v3/videos'), headers, body });
      const created = createdSchema.safeParse(response.body);
      if (response.status >= 300 || !created.success) throw upstreamError('HeyGen', response);
      return { videoId: created.data.data.video_id };
    },

    async poll({ videoId }): Promise<PollResult> {
      const response = await callUpstream({ method: 'GET', url: url(`/v3/videos/${encodeURIComponent(videoId)}`), headers });
      const video = videoSchema.safeParse(response.body);
      if (response.status !== 200 || !video.success) throw upstreamError('HeyGen', response);
      const { status, video_url, failure_code, failure_message } = video.data.data;
      if (status === 'pending' || status === 'waiting') return { status: 'pending', started: false };
      if (status === 'processing') return { status: 'pending', started: true };
      if (status === 'failed') return heygenFailure(failure_code ?? undefined, failure_message ?? undefined);
      if (!video_url) throw new GatewayError('PROVIDER_UNAVAILABLE', 'HeyGen reported a completed video without its URL', { retryable: true });
      return { status: 'completed', outputs: [{ url: video_url }] };
    },

    async cancel({ videoId }) {
      const response = await callUpstream({ method: 'DELETE', url: url(`/v3/videos/${encodeURIComponent(videoId)}`), headers });
      if (response.status >= 300 && response.status !== 404) throw upstreamError('HeyGen', response);
    },
  };
}
