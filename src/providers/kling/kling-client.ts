import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import { joinUrl } from '../shared/upstream-errors.ts';
import { callUpstream } from '../shared/upstream-http.ts';
import type { Connector, PollResult } from '../spec.ts';
import { klingError, klingTaskFailure } from './kling-failures.ts';
import type { KlingOptions } from './kling-options.ts';
import { buildKlingTask } from './kling-request.ts';

const klingOperationSchema = z.object({ taskId: z.string().min(1), endpoint: z.enum(['text2video', 'image2video']) });
type KlingOperation = z.infer<typeof klingOperationSchema>;

const envelopeSchema = z.object({ code: z.number(), message: z.string().optional(), data: z.unknown() });
const createdSchema = z.object({ task_id: z.string().min(1) });
const taskSchema = z.object({
  task_id: z.string(),
  task_status: z.enum(['submitted', 'processing', 'succeed', 'failed']),
  task_status_msg: z.string().nullish(),
  task_result: z.object({ videos: z.array(z.object({ url: z.string(), duration: z.string().nullish() })).nullish() }).nullish(),
});

/** Kling's tokens live 30 minutes; one is reused until 5 minutes before it expires. */
const tokenLifetimeSeconds = 30 * 60;
const tokenRenewBeforeSeconds = 5 * 60;
/** Kling checks `nbf` strictly; backdating it a little absorbs clock skew. */
const notBeforeSkewSeconds = 5;

/** Signs Kling's HS256 JWT (iss = access key) with the secret key, cached until near expiry. */
function klingTokens(accessKey: string, secretKey: string, nowMs: () => number) {
  const key = new TextEncoder().encode(secretKey);
  let cached: { token: string; expiresAt: number } | null = null;
  return async () => {
    const now = Math.floor(nowMs() / 1000);
    if (cached && cached.expiresAt - now > tokenRenewBeforeSeconds) return cached.token;
    const expiresAt = now + tokenLifetimeSeconds;
    // jose is loaded on the first token: a gateway without Kling never pays for it.
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(accessKey)
      .setExpirationTime(expiresAt)
      .setNotBefore(now - notBeforeSkewSeconds)
      .sign(key);
    cached = { token, expiresAt };
    return token;
  };
}

/** Kling's video API: create a text2video or image2video task and poll it. Kling has no cancel call. */
export function createKlingClient(settings: { accessKey: string; secretKey: string; baseUrl: string }, nowMs: () => number = Date.now): Connector<KlingOperation, KlingOptions> {
  const token = klingTokens(settings.accessKey, settings.secretKey, nowMs);
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await callUpstream({ method, url: joinUrl(settings.baseUrl, path), headers: { authorization: `Bearer ${await token()}` }, body });
    const envelope = envelopeSchema.safeParse(response.body);
    if (response.status !== 200 || !envelope.success || envelope.data.code !== 0) throw klingError(response);
    return envelope.data.data;
  };

  return {
    operationSchema: klingOperationSchema,

    async submit(request) {
      const task = buildKlingTask(request, request.generationId);
      const created = createdSchema.safeParse(await call('POST', `/v1/videos/${task.endpoint}`, task.body));
      if (!created.success) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Kling accepted the task without a task id', { retryable: true });
      return { taskId: created.data.task_id, endpoint: task.endpoint };
    },

    async poll({ taskId, endpoint }): Promise<PollResult> {
      const task = taskSchema.safeParse(await call('GET', `/v1/videos/${endpoint}/${encodeURIComponent(taskId)}`));
      if (!task.success) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Kling answered with a task this gateway does not understand', { retryable: true });
      switch (task.data.task_status) {
        case 'submitted':
          return { status: 'pending', started: false };
        case 'processing':
          return { status: 'pending', started: true };
        case 'failed':
          return klingTaskFailure(task.data.task_status_msg ?? undefined);
        case 'succeed': {
          const videos = task.data.task_result?.videos ?? [];
          if (videos.length === 0) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Kling reported success without a video', { retryable: true });
          return { status: 'completed', outputs: videos.map((video) => ({ url: video.url })) };
        }
      }
    },
  };
}
