import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import type { Generation } from '../../generations/generation.ts';
import { hasOption, type OpenAiRegistry, providerFor, sizeOptions, unixSeconds } from './openai-media.ts';

/**
 * `POST /videos` as the `openai` package sends it: a multipart form whose fields arrive as strings, and
 * `input_reference` either an image file or `{ image_url }`.
 */
export const videoCreateBodySchema = z.looseObject({
  prompt: z.string().min(1),
  model: z.string().min(1).optional(),
  seconds: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number of seconds, e.g. "8"')
    .optional(),
  size: z
    .string()
    .regex(/^\d{2,5}x\d{2,5}$/, 'must be WIDTHxHEIGHT, e.g. 1280x720')
    .optional(),
  input_reference: z.union([z.instanceof(Buffer), z.object({ image_url: z.string().min(1) }), z.string().min(1)]).optional(),
  /** `{ image_url }` as the SDK's multipart form spells an object's field. */
  'input_reference[image_url]': z.string().min(1).optional(),
});
export type VideoCreateBody = z.infer<typeof videoCreateBodySchema>;

export const videoParameters: Record<string, string> = {
  provider: 'model',
  type: 'model',
  'input.text': 'prompt',
  'input.image': 'input_reference',
  'input_reference[image_url]': 'input_reference',
  'options.model': 'model',
  'options.duration': 'seconds',
  'options.aspectRatio': 'size',
  'options.width': 'size',
  'options.height': 'size',
};

export const videoListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).optional(),
  order: z.literal('desc', { error: 'only desc (newest first) is supported' }).default('desc'),
});

export const videoContentQuerySchema = z.object({ variant: z.literal('video', { error: 'only video is kept: no thumbnail or spritesheet is made' }).default('video') });

async function referenceImage(reference: VideoCreateBody['input_reference']): Promise<string | undefined> {
  if (reference === undefined) return undefined;
  if (typeof reference === 'string') return reference;
  if (!Buffer.isBuffer(reference)) return reference.image_url;
  const type = await fileTypeFromBuffer(reference);
  if (!type?.mime.startsWith('image/')) throw new GatewayError('INVALID_INPUT', 'input_reference: must be an image file', { details: { field: 'input_reference' } });
  return `data:${type.mime};base64,${reference.toString('base64')}`;
}

/** The form as a unified VIDEO request; without `model`, the gateway's priority picks the provider. */
export async function videoRequest(registry: OpenAiRegistry, body: VideoCreateBody): Promise<GenerateRequest> {
  const provider = body.model ? providerFor(registry, body.model, 'VIDEO') : null;
  const options = provider?.options ?? [];
  const duration = body.seconds !== undefined && (provider === null || hasOption(options, 'duration')) ? { duration: Number(body.seconds) } : {};
  const size = provider ? sizeOptions(options, body.size) : {};
  return {
    type: 'VIDEO',
    provider: provider?.definition.id,
    input: { text: body.prompt, image: await referenceImage(body.input_reference ?? body['input_reference[image_url]']) },
    options: { ...duration, ...size },
  };
}

const videoStatus = { QUEUED: 'queued', PROCESSING: 'in_progress', COMPLETED: 'completed', FAILED: 'failed', CANCELLED: 'failed' } as const;

/** A generation as OpenAI's `Video` object; `progress` is 0–100 there, 0–1 here. */
export function videoView(generation: Generation) {
  const { metadata } = generation;
  const size = metadata?.width && metadata.height ? `${metadata.width}x${metadata.height}` : '';
  const seconds = metadata?.duration ?? generation.options.duration;
  const error =
    generation.status === 'CANCELLED'
      ? { code: 'cancelled', message: 'The video was cancelled' }
      : generation.error
        ? { code: generation.error.code.toLowerCase(), message: generation.error.message }
        : null;
  return {
    id: generation.id,
    object: 'video' as const,
    model: generation.provider,
    status: videoStatus[generation.status],
    progress: generation.status === 'COMPLETED' ? 100 : Math.round((generation.progress ?? 0) * 100),
    created_at: unixSeconds(generation.createdAt),
    completed_at: generation.completedAt ? unixSeconds(generation.completedAt) : null,
    expires_at: null,
    prompt: generation.input.text ?? null,
    remixed_from_video_id: null,
    seconds: seconds === undefined || seconds === null ? '' : String(Math.round(Number(seconds))),
    size,
    error,
  };
}
