import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ScriptedTasks, startFakeServer } from './fake-server.ts';

/**
 * A fake of Luma's Dream Machine API, written from the `lumaai` SDK's types (resources/generations) and Luma's
 * errors page: bearer auth, the video request body, generations that walk queued → dreaming → completed or
 * failed with a `failure_reason`, DELETE, and `{ detail }` error bodies.
 */
export interface LumaStep {
  state: 'queued' | 'dreaming' | 'completed' | 'failed';
  failure_reason?: string;
}

const imageReference = z.strictObject({ type: z.literal('image'), url: z.url() });
const generationReference = z.strictObject({ type: z.literal('generation'), id: z.string() });
const keyframe = z.union([imageReference, generationReference]);

const videoRequest = z
  .strictObject({
    generation_type: z.literal('video').optional(),
    model: z.enum(['ray-2', 'ray-flash-2']),
    prompt: z.string().min(3).max(5000).optional(),
    aspect_ratio: z.enum(['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21']).optional(),
    duration: z.enum(['5s', '9s']).optional(),
    resolution: z.enum(['540p', '720p', '1080p', '4k']).optional(),
    loop: z.boolean().optional(),
    keyframes: z.strictObject({ frame0: keyframe.optional(), frame1: keyframe.optional() }).optional(),
    callback_url: z.url().optional(),
    concepts: z.array(z.object({ key: z.string() })).optional(),
  })
  .refine((body) => !(body.loop && body.keyframes?.frame1), 'loop is not supported with an end frame');

const apiPath = '/dream-machine/v1';

export async function startFakeLuma(options: { apiKey: string }) {
  const tasks = new ScriptedTasks<LumaStep>(() => [{ state: 'queued' }, { state: 'dreaming' }, { state: 'completed' }]);
  const created = new Map<string, string>();

  const view = (id: string, step: LumaStep, origin: string) => ({
    id,
    generation_type: 'video',
    state: step.state,
    failure_reason: step.failure_reason ?? null,
    created_at: created.get(id),
    assets: step.state === 'completed' ? { video: `${origin}/outputs/${id}.mp4` } : null,
    model: 'ray-2',
    request: tasks.tasks.get(id)?.body,
  });

  const server = await startFakeServer({
    handle(request, send, origin) {
      if (!request.path.startsWith(`${apiPath}/`)) return send(404, { detail: 'Not Found' });
      if (request.headers.authorization !== `Bearer ${options.apiKey}`) return send(401, { detail: 'Invalid API key' });
      const route = request.path.slice(apiPath.length);
      if (request.method === 'POST' && (route === '/generations/video' || route === '/generations')) {
        const parsed = videoRequest.safeParse(request.body);
        if (!parsed.success) return send(400, { detail: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
        const id = randomUUID();
        created.set(id, new Date().toISOString());
        tasks.create(id, request.body);
        return send(201, view(id, { state: 'queued' }, origin));
      }
      const match = /^\/generations\/([^/]+)$/.exec(route);
      const task = match ? tasks.tasks.get(match[1]!) : undefined;
      if (!match || !task) return send(404, { detail: 'Generation not found' });
      if (request.method === 'DELETE') {
        task.cancelled = true;
        return send(204);
      }
      if (request.method === 'GET') return send(200, view(match[1]!, task.cancelled ? { state: 'failed', failure_reason: 'Generation was deleted' } : tasks.poll(match[1]!)!, origin));
      send(405, { detail: 'Method Not Allowed' });
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    script: (steps: LumaStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.method === 'POST'),
  };
}

export type FakeLuma = Awaited<ReturnType<typeof startFakeLuma>>;
