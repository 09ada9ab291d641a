import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { geminiError, veoFiltered, veoOperationFailure } from './google-errors.ts';
import type { VeoOptions } from './veo-options.ts';
import { buildVeoBody } from './veo-request.ts';

const veoOperationSchema = z.object({ name: z.string().regex(/^models\/[^/]+\/operations\/[^/]+$/) });
type VeoOperation = z.infer<typeof veoOperationSchema>;

/** A long-running operation as the Gemini API returns it. */
const operationSchema = z.object({
  name: z.string(),
  done: z.boolean().optional(),
  error: z.object({ code: z.number().optional(), message: z.string().optional(), status: z.string().optional() }).optional(),
  response: z
    .object({
      generateVideoResponse: z
        .object({
          generatedSamples: z.array(z.object({ video: z.object({ uri: z.string() }) })).optional(),
          raiMediaFilteredCount: z.number().optional(),
          raiMediaFilteredReasons: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
});

/** Veo on the Gemini API: start a long-running prediction, poll the operation, download the video with the key. No cancel call. */
export function createGeminiVeoClient(settings: { apiKey: string; baseUrl: string }): Connector<VeoOperation, VeoOptions> {
  const headers = { 'x-goog-api-key': settings.apiKey };
  const url = (path: string) => joinUrl(settings.baseUrl, `/v1beta/${path}`);

  return {
    operationSchema: veoOperationSchema,

    async submit(request, context) {
      const body = await buildVeoBody(request, context, 'gemini');
      const response = await callUpstream({ method: 'POST', url: url(`models/${encodeURIComponent(request.model)}:predictLongRunning`), headers, body });
      const operation = veoOperationSchema.safeParse(response.body);
      if (response.status !== 200 || !operation.success) throw geminiError(response);
      return { name: operation.data.name };
    },

    async poll({ name }): Promise<PollResult> {
      const response = await callUpstream({ method: 'GET', url: url(name), headers });
      const operation = operationSchema.safeParse(response.body);
      if (response.status !== 200 || !operation.success) throw geminiError(response);
      const { done, error, response: result } = operation.data;
      if (!done) return { status: 'pending', started: true };
      if (error) return veoOperationFailure(error);
      const samples = result?.generateVideoResponse?.generatedSamples ?? [];
      if (samples.length === 0) {
        if (result?.generateVideoResponse?.raiMediaFilteredReasons?.length || result?.generateVideoResponse?.raiMediaFilteredCount)
          return veoFiltered(result.generateVideoResponse.raiMediaFilteredReasons);
        throw new GatewayError('PROVIDER_UNAVAILABLE', 'the Gemini API finished the operation without a video', { retryable: true });
      }
      // The video's URI needs the API key too; it redirects to the file itself.
      return { status: 'completed', outputs: samples.map((sample) => ({ url: sample.video.uri, headers })) };
    },
  };
}
