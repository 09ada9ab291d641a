import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ScriptedTasks, startFakeServer } from './fake-server.ts';

/**
 * A fake of Replicate's predictions API, written from Replicate's HTTP API reference and the models' input schemas
 * (and the requests the `replicate` client sends): bearer tokens, predictions of official models created at
 * `/v1/models/{owner}/{name}/predictions`, polled at `/v1/predictions/{id}` (starting → processing → succeeded /
 * failed / canceled), cancelled with `POST …/cancel`, and `{ title, detail, status }` errors.
 */
export interface ReplicateStep {
  status: 'starting' | 'processing' | 'succeeded' | 'failed';
  error?: string;
}

const url = z.string().refine((value) => /^(https?:\/\/|data:)/.test(value), 'must be a URL or data URI');
const klingInput = z.looseObject({ prompt: z.string().min(1), duration: z.union([z.literal(5), z.literal(10)]).optional(), start_image: url.optional(), end_image: url.optional() });
const models: Record<string, { input: z.ZodType; output: 'mp4' | 'png' | 'mp3' }> = {
  'minimax/speech-02-turbo': { input: z.looseObject({ text: z.string().min(1), voice_id: z.string().optional() }), output: 'mp3' },
  'bytedance/seedance-1-pro': {
    input: z.looseObject({ prompt: z.string().min(1), duration: z.number().int().min(2).max(12).optional(), resolution: z.enum(['480p', '720p', '1080p']).optional(), image: url.optional() }),
    output: 'mp4',
  },
  'bytedance/seedance-1-lite': {
    input: z.looseObject({ prompt: z.string().min(1), duration: z.number().int().min(2).max(12).optional(), resolution: z.enum(['480p', '720p', '1080p']).optional(), image: url.optional() }),
    output: 'mp4',
  },
  'bytedance/seedream-4': { input: z.looseObject({ prompt: z.string().min(1), size: z.enum(['1K', '2K', '4K']).optional(), image_input: z.array(url).optional() }), output: 'png' },
  'bytedance/omni-human': { input: z.strictObject({ image: url, audio: url }), output: 'mp4' },
  'wan-video/wan-2.2-animate-animation': { input: z.looseObject({ video: url, character_image: url }), output: 'mp4' },
  'kwaivgi/kling-v1.6-standard': { input: klingInput, output: 'mp4' },
  'kwaivgi/kling-v1.6-pro': { input: klingInput, output: 'mp4' },
  'kwaivgi/kling-v2.1': { input: klingInput, output: 'mp4' },
  'minimax/hailuo-2.3': { input: z.looseObject({ prompt: z.string().min(1), duration: z.union([z.literal(6), z.literal(10)]).optional(), first_frame_image: url.optional() }), output: 'mp4' },
  'minimax/hailuo-02': { input: z.looseObject({ prompt: z.string().min(1), duration: z.union([z.literal(6), z.literal(10)]).optional(), first_frame_image: url.optional() }), output: 'mp4' },
  'luma/ray-2-720p': { input: z.looseObject({ prompt: z.string().min(1), duration: z.union([z.literal(5), z.literal(9)]).optional() }), output: 'mp4' },
  'luma/ray-flash-2-540p': { input: z.looseObject({ prompt: z.string().min(1), duration: z.union([z.literal(5), z.literal(9)]).optional() }), output: 'mp4' },
  'black-forest-labs/flux-1.1-pro': { input: z.looseObject({ prompt: z.string().min(1), output_format: z.enum(['webp', 'jpg', 'png']).optional() }), output: 'png' },
  'black-forest-labs/flux-dev': { input: z.looseObject({ prompt: z.string().min(1) }), output: 'png' },
  'google/veo-3.1': { input: z.looseObject({ prompt: z.string().min(1), duration: z.union([z.literal(4), z.literal(6), z.literal(8)]).optional() }), output: 'mp4' },
  'google/veo-3.1-fast': { input: z.looseObject({ prompt: z.string().min(1), duration: z.union([z.literal(4), z.literal(6), z.literal(8)]).optional() }), output: 'mp4' },
};

const problem = (status: number, title: string, detail: string) => ({ title, detail, status });

export async function startFakeReplicate(options: { apiToken: string }) {
  const tasks = new ScriptedTasks<ReplicateStep>(() => [{ status: 'starting' }, { status: 'processing' }, { status: 'succeeded' }]);
  const predictions = new Map<string, { model: string; input: unknown; createdAt: string }>();

  const view = (id: string, step: ReplicateStep | { status: 'canceled' }, origin: string) => {
    const prediction = predictions.get(id)!;
    const output = step.status === 'succeeded' ? `${origin}/outputs/${id}.${models[prediction.model]!.output}` : null;
    return {
      id,
      model: prediction.model,
      version: 'hidden',
      input: prediction.input,
      status: step.status,
      output,
      error: 'error' in step ? step.error : null,
      logs: '',
      created_at: prediction.createdAt,
      urls: { get: `${origin}/v1/predictions/${id}`, cancel: `${origin}/v1/predictions/${id}/cancel` },
    };
  };

  const server = await startFakeServer({
    handle(request, send, origin) {
      if (request.headers.authorization !== `Bearer ${options.apiToken}`) return send(401, problem(401, 'Unauthenticated', 'You did not pass a valid authentication token'));
      const create = /^\/v1\/models\/([^/]+\/[^/]+)\/predictions$/.exec(request.path);
      if (request.method === 'POST' && create) {
        const model = models[create[1]!];
        if (!model) return send(404, problem(404, 'Not found', `model ${create[1]} not found`));
        const parsed = model.input.safeParse((request.body as { input?: unknown } | null)?.input);
        if (!parsed.success)
          return send(422, { ...problem(422, 'Input validation failed', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')), invalid_fields: [] });
        const id = randomUUID().replaceAll('-', '').slice(0, 26);
        predictions.set(id, { model: create[1]!, input: parsed.data, createdAt: new Date().toISOString() });
        tasks.create(id, request.body);
        return send(201, view(id, { status: 'starting' }, origin));
      }
      const prediction = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(request.path);
      const task = prediction ? tasks.tasks.get(prediction[1]!) : undefined;
      if (!prediction || !task) return send(404, problem(404, 'Not found', 'prediction not found'));
      const id = prediction[1]!;
      if (prediction[2] && request.method === 'POST') {
        task.cancelled = true;
        return send(200, view(id, { status: 'canceled' }, origin));
      }
      if (request.method === 'GET') return send(200, view(id, task.cancelled ? { status: 'canceled' } : tasks.poll(id)!, origin));
      send(405, problem(405, 'Method not allowed', request.method));
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    script: (steps: ReplicateStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/v1/models/')),
    cancelledIds: () => server.requests.filter((request) => request.path.endsWith('/cancel')).map((request) => request.path.split('/').at(-2)!),
  };
}

export type FakeReplicate = Awaited<ReturnType<typeof startFakeReplicate>>;
