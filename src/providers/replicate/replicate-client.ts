import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult, SubmitRequest } from '../spec.ts';
import { replicateError, replicateFailure } from './replicate-failures.ts';

/** A prediction to create: an official model and its input. */
export interface ReplicateCall {
  name: string;
  input: Record<string, unknown>;
}

/**
 * How one hosted model runs on Replicate: its `owner/name` and its input, from our request with the hosted provider's
 * options. A model may need a first prediction whose output its input uses (speech made from a script): `prelude`.
 */
export interface ReplicateModel<Options> {
  name(request: SubmitRequest<Options>): string;
  input(request: SubmitRequest<Options>, preludeOutput?: string): Record<string, unknown>;
  prelude?(request: SubmitRequest<Options>): ReplicateCall | null;
}

const replicateOperationSchema = z.object({ stage: z.enum(['prelude', 'main']).default('main'), predictionId: z.string().min(1) });
type ReplicateOperation = z.infer<typeof replicateOperationSchema>;

const predictionSchema = z.object({
  id: z.string(),
  status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
  output: z.union([z.string(), z.array(z.string()), z.null()]).optional(),
  error: z.string().nullish(),
});

/**
 * Replicate's predictions API: create a prediction of an official model, poll it, cancel it. Outputs are deleted
 * after an hour, so the worker stores them as soon as the prediction succeeds.
 */
export function createReplicateClient<Options>(settings: { apiToken: string; baseUrl: string }, model: ReplicateModel<Options>): Connector<ReplicateOperation, Options> {
  const headers = { authorization: `Bearer ${settings.apiToken}` };
  const url = (path: string) => joinUrl(settings.baseUrl, path);

  function readPrediction(body: unknown) {
    const prediction = predictionSchema.safeParse(body);
    if (!prediction.success) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Replicate answered with a prediction this gateway does not understand', { retryable: true });
    return prediction.data;
  }

  async function create(call: ReplicateCall, stage: ReplicateOperation['stage']): Promise<ReplicateOperation> {
    const response = await callUpstream({ method: 'POST', url: url(`/v1/models/${call.name}/predictions`), headers, body: { input: call.input } });
    if (response.status !== 201 && response.status !== 200) throw replicateError(response);
    return { stage, predictionId: readPrediction(response.body).id };
  }

  return {
    operationSchema: replicateOperationSchema,

    async submit(request) {
      const prelude = model.prelude?.(request);
      return prelude ? create(prelude, 'prelude') : create({ name: model.name(request), input: model.input(request) }, 'main');
    },

    async poll({ stage, predictionId }, _context, request): Promise<PollResult> {
      const response = await callUpstream({ method: 'GET', url: url(`/v1/predictions/${encodeURIComponent(predictionId)}`), headers });
      if (response.status !== 200) throw replicateError(response);
      const prediction = readPrediction(response.body);
      switch (prediction.status) {
        case 'starting':
          return { status: 'pending', started: false };
        case 'processing':
          return { status: 'pending', started: true };
        case 'failed':
          return replicateFailure(prediction.error ?? undefined);
        case 'canceled':
        case 'aborted':
          return { status: 'failed', code: 'GENERATION_FAILED', message: `the prediction was ${prediction.status} at Replicate`, retryable: false };
        case 'succeeded': {
          const outputs = [prediction.output ?? []].flat();
          if (outputs.length === 0) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Replicate reported success without an output', { retryable: true });
          if (stage === 'prelude') return { status: 'pending', started: true, operation: await create({ name: model.name(request), input: model.input(request, outputs[0]) }, 'main') };
          return { status: 'completed', outputs: outputs.map((output) => ({ url: output })) };
        }
      }
    },

    async cancel({ predictionId }) {
      const response = await callUpstream({ method: 'POST', url: url(`/v1/predictions/${encodeURIComponent(predictionId)}/cancel`), headers });
      if (response.status >= 300 && response.status !== 404) throw replicateError(response);
    },
  };
}
