import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ScriptedTasks, type Send, startFakeServer } from './fake-server.ts';

/**
 * A fake of MiniMax's video API, written from MiniMax's reference (video generation, query, file retrieve, error
 * codes): bearer auth, errors as `base_resp.status_code` on HTTP 200, tasks that walk Preparing → Queueing →
 * Processing → Success (with a file id to exchange for a download URL) or Fail, and the model × resolution ×
 * duration rules.
 */
export interface MinimaxStep {
  status: 'Preparing' | 'Queueing' | 'Processing' | 'Success' | 'Fail';
  /** With Fail: why (1026/1027 moderation, …). */
  statusCode?: number;
}

const hailuo = ['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-2.3-Fast', 'MiniMax-Hailuo-02'];
const imageOnly = ['MiniMax-Hailuo-2.3-Fast', 'I2V-01-Director', 'I2V-01-live', 'I2V-01'];
const createBody = z
  .strictObject({
    model: z.enum(['MiniMax-Hailuo-2.3', 'MiniMax-Hailuo-2.3-Fast', 'MiniMax-Hailuo-02', 'T2V-01-Director', 'T2V-01', 'I2V-01-Director', 'I2V-01-live', 'I2V-01', 'S2V-01']),
    prompt: z.string().max(2000).optional(),
    prompt_optimizer: z.boolean().optional(),
    fast_pretreatment: z.boolean().optional(),
    duration: z.union([z.literal(6), z.literal(10)]).optional(),
    resolution: z.enum(['512P', '720P', '768P', '1080P']).optional(),
    first_frame_image: z.string().optional(),
    last_frame_image: z.string().optional(),
    subject_reference: z.array(z.object({ type: z.string(), image: z.array(z.string()) })).optional(),
    callback_url: z.url().optional(),
    aigc_watermark: z.boolean().optional(),
  })
  .superRefine((body, context) => {
    const problem = (message: string) => context.addIssue({ code: 'custom', message });
    const isHailuo = hailuo.includes(body.model);
    if (body.resolution === '1080P' && body.duration === 10) problem('1080P supports 6 seconds only');
    if (!isHailuo && (body.duration === 10 || (body.resolution && body.resolution !== '720P'))) problem(`${body.model} makes 6 s at 720P`);
    if (isHailuo && body.resolution === '720P') problem('720P is for the 01 series');
    if (imageOnly.includes(body.model) && !body.first_frame_image) problem(`${body.model} needs first_frame_image`);
  });

export async function startFakeMinimax(options: { apiKey: string }) {
  const tasks = new ScriptedTasks<MinimaxStep>(() => [{ status: 'Queueing' }, { status: 'Processing' }, { status: 'Success' }]);
  const ok = { status_code: 0, status_msg: 'success' };
  const fail = (send: Send, status_code: number, status_msg: string, http = 200) => send(http, { base_resp: { status_code, status_msg } });

  const server = await startFakeServer({
    handle(request, send, origin) {
      if (request.headers.authorization !== `Bearer ${options.apiKey}`) return fail(send, 1004, 'login fail: Please carry the API secret key in the Authorization field');
      if (request.method === 'POST' && request.path === '/v1/video_generation') {
        const parsed = createBody.safeParse(request.body);
        if (!parsed.success) return fail(send, 2013, `invalid params, ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
        const id = randomUUID().replaceAll('-', '').slice(0, 18);
        tasks.create(id, request.body);
        return send(200, { task_id: id, base_resp: ok });
      }
      if (request.method === 'GET' && request.path === '/v1/query/video_generation') {
        const id = request.query.get('task_id') ?? '';
        const step = tasks.poll(id);
        if (!step) return fail(send, 2013, 'invalid params, task not found');
        const done = step.status === 'Success';
        return send(200, {
          task_id: id,
          status: step.status,
          file_id: done ? `file_${id}` : '',
          ...(done ? { video_width: 1366, video_height: 768 } : {}),
          base_resp: step.status === 'Fail' ? { status_code: step.statusCode ?? 1000, status_msg: 'task failed' } : ok,
        });
      }
      if (request.method === 'GET' && request.path === '/v1/files/retrieve') {
        const fileId = request.query.get('file_id') ?? '';
        if (!fileId.startsWith('file_')) return fail(send, 2013, 'invalid params, file not found');
        const download_url = `${origin}/outputs/${fileId}.mp4`;
        return send(200, {
          file: { file_id: fileId, bytes: 0, created_at: Math.floor(Date.now() / 1000), filename: `${fileId}.mp4`, purpose: 'video_generation', download_url, backup_download_url: download_url },
          base_resp: ok,
        });
      }
      fail(send, 2013, 'invalid params, unknown path', 404);
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    script: (steps: MinimaxStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.method === 'POST'),
    /** The next create call fails with this `base_resp.status_code` (and HTTP status, usually 200). */
    refuseNextCreate(statusCode: number, http = 200, headers?: Record<string, string>) {
      server.answerNext({ method: 'POST', path: /^\/v1\/video_generation$/, status: http, headers, body: { base_resp: { status_code: statusCode, status_msg: `scripted ${statusCode}` } } });
    },
  };
}

export type FakeMinimax = Awaited<ReturnType<typeof startFakeMinimax>>;
