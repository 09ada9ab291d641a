import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl, upstreamError } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { bflFailureStatuses } from './flux-failures.ts';
import type { FluxOptions } from './flux-options.ts';
import { buildFluxTask } from './flux-request.ts';

const fluxOperationSchema = z.object({ id: z.string().min(1), pollingUrl: z.url() });
type FluxOperation = z.infer<typeof fluxOperationSchema>;

const createdSchema = z.object({ id: z.string().min(1), polling_url: z.url() });
const resultSchema = z.object({ status: z.string(), result: z.object({ sample: z.string() }).nullish(), progress: z.number().nullish() });

/** Black Forest Labs' API: create a task, poll exactly the `polling_url` it returns, download the signed sample at once (it lives 10 minutes). */
export function createBflClient(settings: { apiKey: string; baseUrl: string }): Connector<FluxOperation, FluxOptions> {
  const headers = { 'x-key': settings.apiKey };

  return {
    operationSchema: fluxOperationSchema,

    async submit(request) {
      const task = buildFluxTask(request);
      const response = await callUpstream({ method: 'POST', url: joinUrl(settings.baseUrl, task.path), headers, body: task.body });
      // 402: the account is out of credits, which no retry mends.
      if (response.status === 402) throw new GatewayError('PROVIDER_UNAVAILABLE', "Black Forest Labs' account is out of credits (402)");
      const created = createdSchema.safeParse(response.body);
      if (response.status !== 200 || !created.success) throw upstreamError('Black Forest Labs', response);
      return { id: created.data.id, pollingUrl: created.data.polling_url };
    },

    async poll({ pollingUrl }): Promise<PollResult> {
      const response = await callUpstream({ method: 'GET', url: pollingUrl, headers });
      const result = resultSchema.safeParse(response.body);
      if (response.status !== 200 || !result.success) throw upstreamError('Black Forest Labs', response);
      const { status, result: ready, progress } = result.data;
      if (status === 'Pending') return { status: 'pending', started: true, progress: progress ?? undefined };
      if (status === 'Ready' && ready) return { status: 'completed', outputs: [{ url: ready.sample }] };
      const failure = bflFailureStatuses[status];
      if (!failure) throw new GatewayError('PROVIDER_UNAVAILABLE', `Black Forest Labs reported an unknown status ${status}`, { retryable: true });
      return failure;
    },
  };
}
