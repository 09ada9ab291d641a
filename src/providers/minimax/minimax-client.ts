import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { minimaxError } from './minimax-failures.ts';
import type { MinimaxOptions } from './minimax-options.ts';
import { buildMinimaxTask } from './minimax-request.ts';

const minimaxOperationSchema = z.object({ taskId: z.string().min(1) });
type MinimaxOperation = z.infer<typeof minimaxOperationSchema>;

const baseResp = z.object({ status_code: z.number(), status_msg: z.string().optional() });
const answerSchema = z.looseObject({ base_resp: baseResp.optional() });
const createdSchema = z.object({ task_id: z.string().min(1) });
const querySchema = z.object({ status: z.enum(['Preparing', 'Queueing', 'Processing', 'Success', 'Fail']), file_id: z.string().nullish(), base_resp: baseResp.optional() });
const fileSchema = z.object({ file: z.object({ download_url: z.string().min(1) }) });

/** MiniMax's video flow: create a task, query it, then exchange its file id for a (temporary) download URL. No cancel call exists. */
export function createMinimaxClient(settings: { apiKey: string; baseUrl: string }): Connector<MinimaxOperation, MinimaxOptions> {
  const headers = { authorization: `Bearer ${settings.apiKey}` };

  /**
   * One call; MiniMax reports errors in `base_resp` with HTTP 200, so both are checked. A failed task's query
   * carries its reason there too: `taskQuery` lets a `Fail` status through for the caller to judge.
   */
  async function call(method: 'GET' | 'POST', path: string, body?: unknown, taskQuery = false): Promise<unknown> {
    const response = await callUpstream({ method, url: joinUrl(settings.baseUrl, path), headers, body });
    const answer = answerSchema.safeParse(response.body);
    const status = answer.success ? answer.data.base_resp : undefined;
    const failedTask = taskQuery && answer.success && answer.data.status === 'Fail';
    if (response.status !== 200 || !answer.success || (status && status.status_code !== 0 && !failedTask)) throw minimaxError(status, response);
    return response.body;
  }

  const parse = <Schema extends z.ZodType>(schema: Schema, body: unknown, what: string): z.output<Schema> => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new GatewayError('PROVIDER_UNAVAILABLE', `MiniMax answered ${what} this gateway does not understand`, { retryable: true });
    return parsed.data;
  };

  return {
    operationSchema: minimaxOperationSchema,

    async submit(request) {
      const created = parse(createdSchema, await call('POST', '/v1/video_generation', buildMinimaxTask(request)), 'a task');
      return { taskId: created.task_id };
    },

    async poll({ taskId }): Promise<PollResult> {
      const task = parse(querySchema, await call('GET', `/v1/query/video_generation?task_id=${encodeURIComponent(taskId)}`, undefined, true), 'a task status');
      switch (task.status) {
        case 'Preparing':
        case 'Queueing':
          return { status: 'pending', started: false };
        case 'Processing':
          return { status: 'pending', started: true };
        case 'Fail': {
          const failure = minimaxError(task.base_resp, { status: 200, headers: {}, body: null });
          return {
            status: 'failed',
            code: failure.code === 'PROVIDER_UNAVAILABLE' ? 'GENERATION_FAILED' : failure.code,
            message: failure.message,
            retryable: failure.code !== 'CONTENT_MODERATION' && failure.code !== 'INVALID_INPUT',
          };
        }
        case 'Success': {
          if (!task.file_id) throw new GatewayError('PROVIDER_UNAVAILABLE', 'MiniMax reported success without a file', { retryable: true });
          const file = parse(fileSchema, await call('GET', `/v1/files/retrieve?file_id=${encodeURIComponent(task.file_id)}`), 'a file');
          return { status: 'completed', outputs: [{ url: file.file.download_url }] };
        }
      }
    },
  };
}
