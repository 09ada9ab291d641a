import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult, ProviderOutput, SubmitRequest } from '../spec.ts';
import { falError } from './fal-failures.ts';

/** A fal request: an endpoint and its input. */
export interface FalCall {
  path: string;
  input: Record<string, unknown>;
}

/**
 * How one hosted model runs on fal: its endpoint and its input, from our request with the hosted provider's options.
 * A model may need a first request whose result its input uses (speech made from a script, then the video lip-synced
 * to it): `prelude`.
 */
export interface FalModel<Options> {
  path(request: SubmitRequest<Options>): string;
  input(request: SubmitRequest<Options>, prelude?: FalResult): Record<string, unknown>;
  prelude?(request: SubmitRequest<Options>): FalCall | null;
}

const falOperationSchema = z.object({ stage: z.enum(['prelude', 'main']).default('main'), requestId: z.string().min(1), statusUrl: z.url(), responseUrl: z.url(), cancelUrl: z.url() });
type FalOperation = z.infer<typeof falOperationSchema>;

const queuedSchema = z.object({ request_id: z.string().min(1), status_url: z.url(), response_url: z.url(), cancel_url: z.url() });
const statusSchema = z.object({ status: z.enum(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']), queue_position: z.number().nullish() });

/** A file in a fal result: `{ url }` under `video`, `image`, `audio`, or in `images`/`videos`. */
const fileSchema = z.object({ url: z.string().min(1) });
const resultSchema = z.object({
  video: fileSchema.optional(),
  image: fileSchema.optional(),
  audio: fileSchema.optional(),
  images: z.array(fileSchema).optional(),
  videos: z.array(fileSchema).optional(),
});
export type FalResult = z.infer<typeof resultSchema>;

function outputsOf(result: FalResult): ProviderOutput[] {
  const files = [result.video, result.image, result.audio, ...(result.images ?? []), ...(result.videos ?? [])].filter((file) => file !== undefined);
  return files.map((file) => ({ url: file.url }));
}

/**
 * fal's queue API: submit to the model's endpoint, then follow exactly the URLs fal returns (status, response,
 * cancel); never rebuild them. Results are read from `response_url` once the status says COMPLETED.
 */
export function createFalClient<Options>(settings: { apiKey: string; queueUrl: string }, model: FalModel<Options>): Connector<FalOperation, Options> {
  const headers = { authorization: `Key ${settings.apiKey}` };

  async function enqueue(call: FalCall, stage: FalOperation['stage']): Promise<FalOperation> {
    const response = await callUpstream({ method: 'POST', url: joinUrl(settings.queueUrl, `/${call.path}`), headers, body: call.input });
    const queued = queuedSchema.safeParse(response.body);
    if (response.status >= 300 || !queued.success) throw falError(response);
    return { stage, requestId: queued.data.request_id, statusUrl: queued.data.status_url, responseUrl: queued.data.response_url, cancelUrl: queued.data.cancel_url };
  }

  return {
    operationSchema: falOperationSchema,

    async submit(request) {
      const prelude = model.prelude?.(request);
      return prelude ? enqueue(prelude, 'prelude') : enqueue({ path: model.path(request), input: model.input(request) }, 'main');
    },

    async poll({ stage, statusUrl, responseUrl }, _context, request): Promise<PollResult> {
      const response = await callUpstream({ method: 'GET', url: statusUrl, headers });
      const status = statusSchema.safeParse(response.body);
      // 202 is how fal answers a status that is still moving.
      if ((response.status !== 200 && response.status !== 202) || !status.success) throw falError(response);
      if (status.data.status !== 'COMPLETED') return { status: 'pending', started: status.data.status === 'IN_PROGRESS' };
      const answer = await callUpstream({ method: 'GET', url: responseUrl, headers });
      if (answer.status !== 200) {
        const error = falError(answer);
        return {
          status: 'failed',
          code: error.code === 'PROVIDER_UNAVAILABLE' ? 'GENERATION_FAILED' : error.code,
          message: error.message,
          retryable: error.retryable || error.code === 'PROVIDER_UNAVAILABLE',
        };
      }
      const result = resultSchema.safeParse(answer.body);
      if (stage === 'prelude' && result.success) {
        const next = await enqueue({ path: model.path(request), input: model.input(request, result.data) }, 'main');
        return { status: 'pending', started: true, operation: next };
      }
      const outputs = result.success ? outputsOf(result.data) : [];
      if (outputs.length === 0) throw new GatewayError('PROVIDER_UNAVAILABLE', 'fal returned a result without a file', { retryable: true });
      return { status: 'completed', outputs };
    },

    async cancel({ cancelUrl }) {
      const response = await callUpstream({ method: 'PUT', url: cancelUrl, headers });
      // 400: the request already finished, so there is nothing to stop.
      if (response.status >= 300 && response.status !== 400 && response.status !== 404) throw falError(response);
    },
  };
}
