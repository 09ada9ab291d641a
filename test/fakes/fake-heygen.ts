import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ScriptedTasks, startFakeServer } from './fake-server.ts';

/**
 * A fake of HeyGen's v3 video API, written from HeyGen's v3 reference (the request and response schemas its CLI
 * is generated from): `X-Api-Key`, `POST /v3/videos` with an avatar and either a script or audio, videos that walk
 * pending → processing → completed (a presigned `video_url`) or failed (`failure_code`, `failure_message`), and
 * `DELETE /v3/videos/{id}`.
 */
export interface HeygenStep {
  status: 'pending' | 'processing' | 'completed' | 'failed';
  failure_code?: string;
  failure_message?: string;
}

const createBody = z
  .strictObject({
    type: z.literal('avatar'),
    avatar_id: z.string().min(1),
    script: z.string().min(1).max(5000).optional(),
    voice_id: z.string().optional(),
    audio_url: z.url().optional(),
    audio_asset_id: z.string().optional(),
    aspect_ratio: z.enum(['16:9', '9:16', '4:5', '5:4', '1:1', 'auto']).optional(),
    resolution: z.enum(['4k', '1080p', '720p']).optional(),
    background: z
      .strictObject({
        type: z.enum(['color', 'image']),
        value: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/)
          .optional(),
        url: z.url().optional(),
        asset_id: z.string().optional(),
      })
      .optional(),
    engine: z.strictObject({ type: z.enum(['avatar_v', 'avatar_iv', 'avatar_iii']), reference_look_id: z.string().optional() }).optional(),
    caption: z.strictObject({ file_format: z.literal('srt').optional(), style: z.literal('default').optional() }).optional(),
    motion_prompt: z.string().optional(),
    expressiveness: z.enum(['high', 'medium', 'low']).optional(),
    voice_settings: z.looseObject({ speed: z.number().min(0.5).max(1.5).optional() }).optional(),
    title: z.string().optional(),
    callback_id: z.string().optional(),
    callback_url: z.url().optional(),
    output_format: z.enum(['mp4', 'webm']).optional(),
  })
  .refine((body) => [body.script, body.audio_url, body.audio_asset_id].filter(Boolean).length === 1, 'exactly one of script, audio_url and audio_asset_id')
  .refine((body) => !(body.motion_prompt && body.engine?.type !== 'avatar_v'), 'motion_prompt is rejected for video avatars on the default Avatar IV engine');

const error = (code: string, message: string) => ({ error: { code, message } });

export async function startFakeHeygen(options: { apiKey: string }) {
  const tasks = new ScriptedTasks<HeygenStep>(() => [{ status: 'pending' }, { status: 'processing' }, { status: 'completed' }]);

  const server = await startFakeServer({
    handle(request, send, origin) {
      if (request.headers['x-api-key'] !== options.apiKey) return send(401, error('invalid_api_key', 'Invalid API key'));
      if (request.method === 'POST' && request.path === '/v3/videos') {
        const parsed = createBody.safeParse(request.body);
        if (!parsed.success) return send(400, error('invalid_parameter', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')));
        const id = randomUUID().replaceAll('-', '');
        tasks.create(id, request.body);
        return send(200, { data: { video_id: id, status: 'waiting', output_format: 'mp4' } });
      }
      const match = /^\/v3\/videos\/([^/]+)$/.exec(request.path);
      const task = match ? tasks.tasks.get(match[1]!) : undefined;
      if (!match || !task) return send(404, error('video_not_found', 'Video not found'));
      if (request.method === 'DELETE') {
        task.cancelled = true;
        return send(200, { data: { id: match[1], deleted: true } });
      }
      const step = tasks.poll(match[1]!)!;
      const done = step.status === 'completed';
      send(200, {
        data: {
          id: match[1],
          status: step.status,
          created_at: Math.floor(Date.now() / 1000),
          video_url: done ? `${origin}/outputs/${match[1]}.mp4` : null,
          duration: done ? 1 : null,
          failure_code: step.failure_code ?? null,
          failure_message: step.failure_message ?? null,
        },
      });
    },
  });

  return {
    ...server,
    url: server.origin,
    tasks,
    script: (steps: HeygenStep[]) => tasks.script(steps),
    creations: () => server.requests.filter((request) => request.method === 'POST'),
  };
}

export type FakeHeygen = Awaited<ReturnType<typeof startFakeHeygen>>;
