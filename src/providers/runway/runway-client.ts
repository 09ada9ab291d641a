import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl, upstreamError } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, ConnectorContext, PollResult, SubmitRequest } from '../spec.ts';
import { runwayFailure } from './runway-failures.ts';
import { runwayApiVersion } from './runway-models.ts';
import type { RunwayTaskRequest } from './runway-request.ts';
import { withRunwayUploads } from './runway-uploads.ts';

export interface RunwayClientSettings<Options> {
  providerName: string;
  /** Our request, with the options of the provider it is for, as the Runway endpoint and body that make it. */
  buildTask(request: SubmitRequest<Options>): RunwayTaskRequest;
  baseUrl: string;
  apiKey: string;
  /** How long after submit a "no such task" answer means "not visible yet" rather than gone (CometAPI's lag). */
  notFoundGraceMs: number;
  /** What one Runway credit costs us, for the final price a finished task reports. */
  usdPerRunwayCredit: number;
}

const runwayOperationSchema = z.object({ taskId: z.string().min(1), submittedAt: z.number() });
type RunwayOperation = z.infer<typeof runwayOperationSchema>;

/** A task as `GET /v1/tasks/{id}` returns it (the SDK's TaskRetrieveResponse union, by status). */
const runwayTaskSchema = z.object({
  id: z.string(),
  status: z.enum(['PENDING', 'THROTTLED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
  progress: z.number().optional(),
  output: z.array(z.string()).optional(),
  failure: z.string().optional(),
  failureCode: z.string().optional(),
  cost: z.object({ credits: z.number() }).optional(),
});
const createdTaskSchema = z.object({ id: z.string().min(1) });

/** Runway's public task API (and resellers of it such as CometAPI): submit a task, poll it, cancel it. */
export function createRunwayClient<Options>(settings: RunwayClientSettings<Options>): Connector<RunwayOperation, Options> {
  const headers = { authorization: `Bearer ${settings.apiKey}`, 'x-runway-version': runwayApiVersion };
  const url = (path: string) => joinUrl(settings.baseUrl, path);

  function readTask(body: unknown): z.infer<typeof runwayTaskSchema> {
    const task = runwayTaskSchema.safeParse(body);
    if (!task.success) throw new GatewayError('PROVIDER_UNAVAILABLE', `${settings.providerName} answered with a task this gateway does not understand`, { retryable: true });
    return task.data;
  }

  return {
    operationSchema: runwayOperationSchema,

    async submit(request: SubmitRequest<Options>, context: ConnectorContext) {
      const task = settings.buildTask(request);
      const body = await withRunwayUploads(task.body, { providerName: settings.providerName, url, headers }, context);
      const response = await callUpstream({ method: 'POST', url: url(`/v1/${task.endpoint}`), headers, body });
      const created = createdTaskSchema.safeParse(response.body);
      if (response.status >= 300 || !created.success) throw upstreamError(settings.providerName, response);
      return { taskId: created.data.id, submittedAt: context.now() };
    },

    async poll({ taskId, submittedAt }, context): Promise<PollResult> {
      const response = await callUpstream({ method: 'GET', url: url(`/v1/tasks/${encodeURIComponent(taskId)}`), headers });
      if (response.status === 404 && context.now() - submittedAt < settings.notFoundGraceMs) return { status: 'pending', started: false };
      if (response.status !== 200) throw upstreamError(settings.providerName, response);
      const task = readTask(response.body);
      switch (task.status) {
        case 'PENDING':
        case 'THROTTLED':
          return { status: 'pending', started: false };
        case 'RUNNING':
          return { status: 'pending', started: true, progress: task.progress };
        case 'SUCCEEDED':
          return { status: 'completed', outputs: (task.output ?? []).map((output) => ({ url: output })), costUsd: task.cost ? task.cost.credits * settings.usdPerRunwayCredit : undefined };
        case 'FAILED':
          return runwayFailure(task.failure, task.failureCode);
        case 'CANCELLED':
          return { status: 'failed', code: 'GENERATION_FAILED', message: `the task was cancelled at ${settings.providerName}`, retryable: false };
      }
    },

    async cancel({ taskId }) {
      const response = await callUpstream({ method: 'DELETE', url: url(`/v1/tasks/${encodeURIComponent(taskId)}`), headers });
      if (response.status >= 300 && response.status !== 404) throw upstreamError(settings.providerName, response);
    },
  };
}
