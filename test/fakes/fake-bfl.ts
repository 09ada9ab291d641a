import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ScriptedTasks, sizeForAspect, startFakeServer } from './fake-server.ts';

/**
 * A fake of Black Forest Labs' API, written from BFL's docs (endpoints, integration guidelines, errors): `x-key`
 * auth, one endpoint per model with its own parameters (pixel sizes in multiples of 32, or an aspect ratio),
 * `{id, polling_url}` answers, results polled at exactly that URL, `Pending → Ready` with `result.sample`, and
 * the moderation statuses.
 */
export interface BflStep {
  status: 'Pending' | 'Ready' | 'Error' | 'Request Moderated' | 'Content Moderated' | 'Task not found';
  progress?: number;
}

const dimension = z
  .number()
  .int()
  .min(256)
  .max(1440)
  .refine((value) => value % 32 === 0, 'must be a multiple of 32');
const common = {
  prompt: z.string().min(1),
  seed: z.number().int().optional(),
  prompt_upsampling: z.boolean().optional(),
  safety_tolerance: z.number().int().min(0).max(6).optional(),
  output_format: z.enum(['jpeg', 'png']).optional(),
  webhook_url: z.url().optional(),
};
const aspectRatio = z.string().regex(/^\d+:\d+$/);
const sized = { ...common, width: dimension.optional(), height: dimension.optional() };
const bodies: Record<string, z.ZodType> = {
  'flux-dev': z.strictObject({ ...sized, steps: z.number().int().min(1).max(50).optional(), guidance: z.number().min(1.5).max(5).optional() }),
  'flux-pro-1.1': z.strictObject({ ...sized, image_prompt: z.string().optional() }),
  'flux-pro': z.strictObject({ ...sized, image_prompt: z.string().optional() }),
  'flux-pro-1.1-ultra': z.strictObject({
    ...common,
    aspect_ratio: aspectRatio.optional(),
    raw: z.boolean().optional(),
    image_prompt: z.string().optional(),
    image_prompt_strength: z.number().min(0).max(1).optional(),
  }),
  'flux-kontext-pro': z.strictObject({ ...common, input_image: z.string().min(1), aspect_ratio: aspectRatio.optional(), safety_tolerance: z.number().int().min(0).max(2).optional() }),
  'flux-kontext-max': z.strictObject({ ...common, input_image: z.string().min(1), aspect_ratio: aspectRatio.optional(), safety_tolerance: z.number().int().min(0).max(2).optional() }),
};

/** The cluster a task lives on (part of the polling URL BFL returns). */
const clusterOf = (id: string) => `eu${id.charCodeAt(0) % 4}`;

export async function startFakeBfl(options: { apiKey: string }) {
  const tasks = new ScriptedTasks<BflStep>(() => [{ status: 'Pending', progress: 0.5 }, { status: 'Ready' }]);
  const formats = new Map<string, string>();

  const server = await startFakeServer({
    handle(request, send, origin) {
      if (request.headers['x-key'] !== options.apiKey) return send(403, { detail: 'Not authenticated - Invalid Authentication' });
      const create = /^\/v1\/([a-z0-9.-]+)$/.exec(request.path);
      if (request.method === 'POST' && create && bodies[create[1]!]) {
        const parsed = bodies[create[1]!]!.safeParse(request.body);
        if (!parsed.success) return send(422, { detail: parsed.error.issues.map((issue) => ({ loc: ['body', ...issue.path], msg: issue.message, type: 'value_error' })) });
        const id = randomUUID();
        tasks.create(id, request.body);
        const body = request.body as { output_format?: string; width?: number; height?: number; aspect_ratio?: string };
        // Sized models make exactly the pixels asked for; the others the aspect ratio (at a small size, to keep tests fast).
        const size = body.width && body.height ? { width: body.width, height: body.height } : sizeForAspect(body.aspect_ratio ?? '1:1', 512);
        formats.set(id, `${body.output_format === 'png' ? 'png' : 'jpg'}?w=${size.width}&h=${size.height}`);
        // The global endpoint routes results through a cluster the URL names; a client that builds its own URL loses it.
        return send(200, { id, polling_url: `${origin}/v1/get_result?id=${id}&cluster=${clusterOf(id)}`, cost: 4 });
      }
      if (request.method === 'GET' && request.path === '/v1/get_result') {
        const id = request.query.get('id') ?? '';
        const step = (request.query.get('cluster') === clusterOf(id) && tasks.poll(id)) || { status: 'Task not found' };
        const result = step.status === 'Ready' ? { sample: `${origin}/outputs/${id}.${formats.get(id)}&se=signed`, prompt: 'x', seed: 1 } : null;
        return send(200, { id, status: step.status, result, progress: step.progress ?? null });
      }
      send(404, { detail: 'Not Found' });
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    script: (steps: BflStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.method === 'POST'),
  };
}

export type FakeBfl = Awaited<ReturnType<typeof startFakeBfl>>;
