import { randomUUID } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { type RecordedRequest, ScriptedTasks, type Send, startFakeServer } from './fake-server.ts';

/**
 * A fake of Kling's video API, written from Kling's API reference (general info, text2video, image2video, error
 * codes): every request carries an HS256 JWT signed with the account's secret key (iss = access key, exp, nbf),
 * answers are `{code, message, request_id, data}` envelopes, and tasks walk submitted → processing → succeed or
 * failed with a `task_status_msg`.
 */
export interface KlingStep {
  task_status: 'submitted' | 'processing' | 'succeed' | 'failed';
  task_status_msg?: string;
}

const models = ['kling-v1', 'kling-v1-5', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'] as const;
/** URL or raw base64: Kling refuses a `data:` prefix. */
const image = z.string().refine((value) => /^https?:\/\//.test(value) || /^[A-Za-z0-9+/]+=*$/.test(value), 'image must be a URL or raw base64 without a data: prefix');
const common = {
  model_name: z.enum(models).optional(),
  negative_prompt: z.string().max(2500).optional(),
  cfg_scale: z.number().min(0).max(1).optional(),
  mode: z.enum(['std', 'pro']).optional(),
  duration: z.enum(['5', '10']).optional(),
  callback_url: z.url().optional(),
  external_task_id: z.string().optional(),
};
const bodies = {
  text2video: z.strictObject({ ...common, prompt: z.string().min(1).max(2500), aspect_ratio: z.enum(['16:9', '9:16', '1:1']).optional() }),
  image2video: z.strictObject({ ...common, prompt: z.string().max(2500).optional(), image, image_tail: image.optional() }),
};

export async function startFakeKling(options: { accessKey: string; secretKey: string }) {
  const tasks = new ScriptedTasks<KlingStep>(() => [{ task_status: 'submitted' }, { task_status: 'processing' }, { task_status: 'succeed' }]);
  const tokens: string[] = [];
  const secret = new TextEncoder().encode(options.secretKey);

  const reply = (send: Send, status: number, code: number, message: string, data?: unknown) => send(status, { code, message, request_id: randomUUID(), ...(data === undefined ? {} : { data }) });

  /** Kling's auth codes: 1001 no header, 1002 invalid, 1003 not yet valid, 1004 expired. Answers the refusal, or null when the token is good. */
  async function refusal(request: RecordedRequest): Promise<[number, string] | null> {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return [1001, 'Authorization header is empty'];
    const token = header.slice('Bearer '.length);
    try {
      await jwtVerify(token, secret, { issuer: options.accessKey, algorithms: ['HS256'], requiredClaims: ['exp', 'nbf'] });
      tokens.push(token);
      return null;
    } catch (error) {
      if (error instanceof errors.JWTExpired) return [1004, 'Authorization token expired'];
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return [1003, 'Authorization token not yet valid'];
      return [1002, 'Authorization token invalid'];
    }
  }

  const taskView = (id: string, step: KlingStep, origin: string) => ({
    task_id: id,
    task_status: step.task_status,
    task_status_msg: step.task_status_msg ?? '',
    created_at: Date.now(),
    updated_at: Date.now(),
    ...(step.task_status === 'succeed' ? { task_result: { videos: [{ id: `v_${id}`, url: `${origin}/outputs/${id}.mp4`, duration: '5' }] } } : {}),
  });

  const server = await startFakeServer({
    async handle(request, send, origin) {
      const match = /^\/v1\/videos\/(text2video|image2video)(?:\/([^/]+))?$/.exec(request.path);
      if (!match) return reply(send, 404, 1203, 'resource not found');
      const refused = await refusal(request);
      if (refused) return reply(send, 401, ...refused);
      const [, kind, taskId] = match as unknown as [string, 'text2video' | 'image2video', string | undefined];
      if (request.method === 'POST' && !taskId) {
        const parsed = bodies[kind].safeParse(request.body);
        if (!parsed.success) return reply(send, 400, 1201, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
        if (kind === 'text2video' && parsed.data.model_name === 'kling-v2-1') return reply(send, 400, 1201, 'kling-v2-1 supports image2video only');
        const id = randomUUID();
        tasks.create(id, request.body);
        return reply(send, 200, 0, 'SUCCEED', { task_id: id, task_status: 'submitted', created_at: Date.now(), updated_at: Date.now() });
      }
      if (request.method === 'GET' && taskId) {
        const step = tasks.poll(taskId);
        if (!step) return reply(send, 404, 1203, 'task not found');
        return reply(send, 200, 0, 'SUCCEED', taskView(taskId, step, origin));
      }
      reply(send, 404, 1203, 'resource not found');
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    /** Every JWT the fake accepted, in order. */
    tokens,
    script: (steps: KlingStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.method === 'POST'),
    /** The next create call is refused with this HTTP status and Kling business code. */
    refuseNextCreate(status: number, code: number, message: string, headers?: Record<string, string>) {
      server.answerNext({ method: 'POST', path: /^\/v1\/videos\//, status, headers, body: { code, message, request_id: randomUUID() } });
    },
  };
}

export type FakeKling = Awaited<ReturnType<typeof startFakeKling>>;
