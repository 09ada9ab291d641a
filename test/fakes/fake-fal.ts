import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ScriptedTasks, startFakeServer } from './fake-server.ts';

/**
 * A fake of fal's queue API, written from fal's queue docs and its model API pages (and the request paths
 * `@fal-ai/client` builds): `Authorization: Key …`, submit to a model endpoint, then status, result and cancel at
 * `/{owner}/{alias}/requests/{id}…` — the URLs fal returns, which a client must use as given.
 */
export type FalStep = { status: 'IN_QUEUE'; position?: number } | { status: 'IN_PROGRESS' } | { status: 'COMPLETED' } | { status: 'COMPLETED'; error: 'invalid' | 'content_policy' | 'internal' };

const url = z.string().refine((value) => /^(https?:\/\/|data:)/.test(value), 'must be a URL or data URI');
const seedance = {
  prompt: z.string().min(1),
  resolution: z.enum(['480p', '720p', '1080p']).optional(),
  duration: z.enum(['5', '10']).optional(),
  camera_fixed: z.boolean().optional(),
  seed: z.number().int().optional(),
};
const kling = { prompt: z.string().min(1), duration: z.enum(['5', '10']).optional(), negative_prompt: z.string().optional(), cfg_scale: z.number().min(0).max(1).optional() };
const endpoints: Array<{ pattern: RegExp; input: z.ZodType; output: 'video' | 'images' | 'audio' }> = [
  {
    pattern: /^fal-ai\/elevenlabs\/tts\/multilingual-v2$/,
    input: z.strictObject({ text: z.string().min(1), voice: z.string().optional(), stability: z.number().optional(), speed: z.number().optional() }),
    output: 'audio',
  },
  {
    pattern: /^fal-ai\/bytedance\/seedance\/v1\/(pro|lite)\/text-to-video$/,
    input: z.strictObject({ ...seedance, aspect_ratio: z.enum(['21:9', '16:9', '4:3', '1:1', '3:4', '9:16']).optional() }),
    output: 'video',
  },
  { pattern: /^fal-ai\/bytedance\/seedance\/v1\/(pro|lite)\/image-to-video$/, input: z.strictObject({ ...seedance, image_url: url }), output: 'video' },
  {
    pattern: /^fal-ai\/bytedance\/seedream\/v4\/text-to-image$/,
    input: z.strictObject({
      prompt: z.string().min(1),
      image_size: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
      num_images: z.number().int().min(1).max(6).optional(),
      seed: z.number().int().optional(),
    }),
    output: 'images',
  },
  {
    pattern: /^fal-ai\/bytedance\/seedream\/v4\/edit$/,
    input: z.strictObject({
      prompt: z.string().min(1),
      image_urls: z.array(url).min(1).max(10),
      image_size: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
      num_images: z.number().int().optional(),
      seed: z.number().int().optional(),
    }),
    output: 'images',
  },
  { pattern: /^fal-ai\/bytedance\/omnihuman(\/v1\.5)?$/, input: z.strictObject({ image_url: url, audio_url: url, resolution: z.enum(['720p', '1080p']).optional() }), output: 'video' },
  {
    pattern: /^fal-ai\/wan\/v2\.2-14b\/animate\/move$/,
    input: z.strictObject({ video_url: url, image_url: url, resolution: z.enum(['480p', '580p', '720p']).optional(), seed: z.number().int().optional() }),
    output: 'video',
  },
  {
    pattern: /^fal-ai\/kling-video\/[\w.-]+(\/(standard|pro))?\/text-to-video$|^fal-ai\/kling-video\/v2(\.1)?\/master\/text-to-video$/,
    input: z.strictObject({ ...kling, aspect_ratio: z.enum(['16:9', '9:16', '1:1']).optional() }),
    output: 'video',
  },
  { pattern: /^fal-ai\/kling-video\/[\w./-]+\/image-to-video$/, input: z.strictObject({ ...kling, image_url: url, tail_image_url: url.optional() }), output: 'video' },
  {
    pattern: /^fal-ai\/minimax\/[\w.-]+(\/(standard|pro))?\/(text|image)-to-video$/,
    input: z.strictObject({ prompt: z.string().min(1), duration: z.enum(['6', '10']).optional(), prompt_optimizer: z.boolean().optional(), image_url: url.optional() }),
    output: 'video',
  },
  {
    pattern: /^fal-ai\/luma-dream-machine\/ray-2(-flash)?(\/image-to-video)?$/,
    input: z.strictObject({
      prompt: z.string().min(1),
      aspect_ratio: z.string().optional(),
      duration: z.enum(['5s', '9s']).optional(),
      resolution: z.enum(['540p', '720p', '1080p']).optional(),
      loop: z.boolean().optional(),
      image_url: url.optional(),
      end_image_url: url.optional(),
    }),
    output: 'video',
  },
  {
    pattern: /^fal-ai\/flux(-pro)?(\/(dev|v1\.1|v1\.1-ultra|kontext|kontext\/max))?$/,
    input: z.looseObject({ prompt: z.string().min(1), output_format: z.enum(['jpeg', 'png']).optional(), seed: z.number().int().optional() }),
    output: 'images',
  },
  {
    pattern: /^fal-ai\/veo3\.1(\/fast)?(\/image-to-video)?$/,
    input: z.strictObject({
      prompt: z.string().min(1),
      aspect_ratio: z.enum(['16:9', '9:16']).optional(),
      duration: z.enum(['4s', '6s', '8s']).optional(),
      resolution: z.enum(['720p', '1080p']).optional(),
      generate_audio: z.boolean().optional(),
      negative_prompt: z.string().optional(),
      seed: z.number().int().optional(),
      image_url: url.optional(),
    }),
    output: 'video',
  },
];

/** The app a request belongs to: an endpoint's owner and alias (its first two path segments). */
const appOf = (endpoint: string) => endpoint.split('/').slice(0, 2).join('/');

export async function startFakeFal(options: { apiKey: string }) {
  const tasks = new ScriptedTasks<FalStep>(() => [{ status: 'IN_QUEUE', position: 1 }, { status: 'IN_PROGRESS' }, { status: 'COMPLETED' }]);
  const outputs = new Map<string, 'video' | 'images' | 'audio'>();
  const cancelled: string[] = [];
  const detail = (loc: string[], msg: string, type: string) => ({ detail: [{ loc, msg, type }] });

  const server = await startFakeServer({
    handle(request, send, origin) {
      if (request.headers.authorization !== `Key ${options.apiKey}`) return send(401, { detail: 'Unauthorized' });
      const path = request.path.slice(1);
      const requests = /^([^/]+\/[^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(path);
      if (requests) {
        const [, , id, action] = requests as unknown as [string, string, string, string | undefined];
        const task = tasks.tasks.get(id);
        if (!task) return send(404, { detail: 'Request not found' });
        const step = task.steps[Math.min(task.polls, task.steps.length - 1)]!;
        if (action === '/cancel' && request.method === 'PUT') {
          if (step.status === 'COMPLETED') return send(400, { status: 'ALREADY_COMPLETED' });
          task.cancelled = true;
          cancelled.push(id);
          return send(202, { status: 'CANCELLATION_REQUESTED' });
        }
        if (action === '/status' && request.method === 'GET') {
          const current = task.cancelled ? ({ status: 'COMPLETED', error: 'internal' } as FalStep) : tasks.poll(id)!;
          const base = `${origin}/${requests[1]}/requests/${id}`;
          return send(current.status === 'COMPLETED' ? 200 : 202, {
            status: current.status,
            request_id: id,
            response_url: base,
            status_url: `${base}/status`,
            cancel_url: `${base}/cancel`,
            ...('position' in current ? { queue_position: current.position } : {}),
          });
        }
        if (!action && request.method === 'GET') {
          if (step.status !== 'COMPLETED') return send(400, { detail: 'Request is still in progress' });
          if ('error' in step) {
            if (step.error === 'invalid') return send(422, detail(['body', 'image_url'], 'Could not read the image', 'value_error'));
            if (step.error === 'content_policy') return send(422, detail(['body', 'prompt'], 'The content was flagged by the safety checker', 'content_policy_violation'));
            return send(500, { detail: 'Internal server error' });
          }
          const file = (kind: string) => ({ url: `${origin}/outputs/${id}.${kind}`, content_type: { mp4: 'video/mp4', png: 'image/png', mp3: 'audio/mpeg' }[kind] });
          const results = { images: { images: [{ ...file('png'), width: 64, height: 64 }], seed: 1 }, video: { video: file('mp4'), seed: 1 }, audio: { audio: file('mp3') } };
          return send(200, results[outputs.get(id) ?? 'video']);
        }
      }
      const endpoint = endpoints.find((candidate) => candidate.pattern.test(path));
      if (request.method !== 'POST' || !endpoint) return send(404, { detail: `Application ${path} not found` });
      const parsed = endpoint.input.safeParse(request.body);
      if (!parsed.success) return send(422, { detail: parsed.error.issues.map((issue) => ({ loc: ['body', ...issue.path.map(String)], msg: issue.message, type: 'value_error' })) });
      const id = randomUUID();
      tasks.create(id, request.body);
      outputs.set(id, endpoint.output);
      const base = `${origin}/${appOf(path)}/requests/${id}`;
      send(200, { request_id: id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel`, queue_position: 0 });
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    cancelled,
    script: (steps: FalStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.method === 'POST'),
  };
}

export type FakeFal = Awaited<ReturnType<typeof startFakeFal>>;
