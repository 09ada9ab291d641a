import { GatewayError, type ErrorCode } from '../../errors/gateway-error.ts';
import type { Json } from '../../generations/generation.ts';
import { parseRetryAfterMs } from '../../net/retry-after.ts';
import { callUpstream, type UpstreamResponse } from '../http-client.ts';
import type { ConnectorContext, PollResult, ProviderConnector, SubmitRequest } from '../spec.ts';
import { buildRunwayTask, runwayApiVersion } from './runway-api.ts';

export interface RunwayConnectorSettings {
  providerName: string;
  baseUrl: string;
  apiKey: string;
  notFoundGraceMs: number;
  /** What one Runway credit costs us, for the final price a finished task reports. */
  usdPerRunwayCredit: number;
}

interface RunwayOperation {
  taskId: string;
  submittedAt: number;
}

interface RunwayTask {
  id: string;
  status: 'PENDING' | 'THROTTLED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  progress?: number;
  output?: string[];
  failure?: string;
  failureCode?: string;
  cost?: { credits: number };
}

/** Runway's task failure codes (machine-readable, by prefix) and what they mean for the client. */
const failureRules: Array<{ prefix: string; code: ErrorCode; retryable: boolean; resubmit?: boolean }> = [
  { prefix: 'SAFETY.INPUT', code: 'CONTENT_MODERATION', retryable: false },
  { prefix: 'SAFETY.OUTPUT', code: 'GENERATION_FAILED', retryable: true },
  { prefix: 'INTERNAL.BAD_OUTPUT', code: 'GENERATION_FAILED', retryable: true },
  { prefix: 'ASSET.INVALID', code: 'INVALID_INPUT', retryable: false },
  { prefix: 'INPUT_PREPROCESSING', code: 'INVALID_INPUT', retryable: false },
  { prefix: 'INTERNAL', code: 'GENERATION_FAILED', retryable: true, resubmit: true },
];

function messageOf(response: UpstreamResponse): string {
  const body = response.body as { error?: unknown; message?: unknown } | string | null;
  if (body && typeof body === 'object') return String(body.error ?? body.message ?? JSON.stringify(body));
  return String(body ?? '').slice(0, 200) || `HTTP ${response.status}`;
}

/** HTTP-level answers: 400 is the request's fault, 401 ours, 429 and 5xx pass (retried with backoff, honouring Retry-After). */
function upstreamError(providerName: string, response: UpstreamResponse): GatewayError {
  const message = `${providerName} answered ${response.status}: ${messageOf(response)}`;
  if (response.status === 400 || response.status === 422) return new GatewayError('INVALID_INPUT', message);
  if (response.status === 401 || response.status === 403) return new GatewayError('PROVIDER_UNAVAILABLE', `${providerName} refused this gateway's API key (${response.status})`);
  if (response.status === 429 || response.status >= 500) {
    return new GatewayError('PROVIDER_UNAVAILABLE', message, { retryable: true, retryAfterMs: parseRetryAfterMs(response.headers['retry-after']) });
  }
  return new GatewayError('PROVIDER_UNAVAILABLE', message);
}

function failedTask(task: RunwayTask): PollResult {
  const rule = failureRules.find((candidate) => task.failureCode?.startsWith(candidate.prefix));
  const message = `${task.failure ?? 'the task failed'}${task.failureCode ? ` (${task.failureCode})` : ''}`;
  return { status: 'failed', code: rule?.code ?? 'GENERATION_FAILED', message, retryable: rule?.retryable ?? false, resubmit: rule?.resubmit ?? false };
}

/** Runway's public task API (and resellers of it such as CometAPI): submit a task, poll it, cancel it. */
export function createRunwayConnector(settings: RunwayConnectorSettings): ProviderConnector {
  const headers = { authorization: `Bearer ${settings.apiKey}`, 'x-runway-version': runwayApiVersion };
  const url = (path: string) => `${settings.baseUrl.replace(/\/+$/, '')}${path}`;

  return {
    async submit(request: SubmitRequest, context: ConnectorContext) {
      const task = buildRunwayTask(request, request.model);
      const response = await callUpstream({ method: 'POST', url: url(`/v1/${task.endpoint}`), headers, body: task.body });
      const id = (response.body as { id?: unknown } | null)?.id;
      if (response.status >= 300 || typeof id !== 'string') throw upstreamError(settings.providerName, response);
      const operation: RunwayOperation = { taskId: id, submittedAt: context.now() };
      return { operation: operation as unknown as Json };
    },

    async poll(operation: Json, context: ConnectorContext): Promise<PollResult> {
      const { taskId, submittedAt } = operation as unknown as RunwayOperation;
      const response = await callUpstream({ method: 'GET', url: url(`/v1/tasks/${encodeURIComponent(taskId)}`), headers });
      if (response.status === 404 && context.now() - submittedAt < settings.notFoundGraceMs) return { status: 'pending', started: false };
      if (response.status !== 200) throw upstreamError(settings.providerName, response);
      const task = response.body as RunwayTask;
      switch (task.status) {
        case 'PENDING':
        case 'THROTTLED':
          return { status: 'pending', started: false };
        case 'RUNNING':
          return { status: 'pending', started: true, progress: typeof task.progress === 'number' ? task.progress : undefined };
        case 'SUCCEEDED':
          return { status: 'completed', outputs: (task.output ?? []).map((output) => ({ url: output })), costUsd: task.cost ? task.cost.credits * settings.usdPerRunwayCredit : undefined };
        case 'FAILED':
          return failedTask(task);
        case 'CANCELLED':
          return { status: 'failed', code: 'GENERATION_FAILED', message: `the task was cancelled at ${settings.providerName}`, retryable: false };
        default:
          throw new GatewayError('PROVIDER_UNAVAILABLE', `${settings.providerName} reported an unknown task status`, { retryable: true });
      }
    },

    async cancel(operation: Json) {
      const { taskId } = operation as unknown as RunwayOperation;
      const response = await callUpstream({ method: 'DELETE', url: url(`/v1/tasks/${encodeURIComponent(taskId)}`), headers });
      if (response.status >= 300 && response.status !== 404) throw upstreamError(settings.providerName, response);
    },
  };
}
