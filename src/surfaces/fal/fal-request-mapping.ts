import { z } from 'zod';
import { invalidInput } from '../../errors/gateway-error.ts';
import { type GenerateRequest, parseOrThrow } from '../../generations/generate-request.ts';
import type { FalModelRoute } from './fal-model-table.ts';

/** fal's named image sizes as aspect ratios (fal's image endpoints' `image_size` enum). */
const imageSizePresets = {
  square_hd: '1:1',
  square: '1:1',
  portrait_4_3: '3:4',
  portrait_16_9: '9:16',
  landscape_4_3: '4:3',
  landscape_16_9: '16:9',
} as const;

const pixelSize = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

/** The fal input fields genway reads; any other is ignored, as fal's own endpoints ignore fields they do not know. */
const falInputSchema = z.looseObject({
  prompt: z.string().optional(),
  text: z.string().optional(),
  negative_prompt: z.string().optional(),
  image_url: z.string().optional(),
  end_image_url: z.string().optional(),
  tail_image_url: z.string().optional(),
  image_urls: z.array(z.string()).optional(),
  voice: z.string().optional(),
  image_size: z.union([z.enum(Object.keys(imageSizePresets) as [keyof typeof imageSizePresets]), pixelSize]).optional(),
  num_images: z.literal(1, 'genway makes one image per request: send 1 or leave it out').optional(),
  duration: z.union([z.number(), z.string().regex(/^\d+s?$/, 'must be a number of seconds, e.g. "5"')]).optional(),
});
type FalInput = z.infer<typeof falInputSchema>;

/** fal's option fields and genway's names for them; each provider's own schema then judges the values. */
const optionNames: Record<string, string> = {
  aspect_ratio: 'aspectRatio',
  seed: 'seed',
  resolution: 'resolution',
  output_format: 'outputFormat',
  generate_audio: 'generateAudio',
  camera_fixed: 'cameraFixed',
  cfg_scale: 'cfgScale',
  prompt_optimizer: 'promptOptimizer',
  num_inference_steps: 'steps',
  guidance_scale: 'guidance',
  raw: 'raw',
};

export interface FalRequestMapping {
  request: GenerateRequest;
  /** Where a genway field path (`options.aspectRatio`) came from in what the client sent, as fal's `loc`. */
  locationOf(field: string): Array<string | number>;
}

const greatestCommonDivisor = (a: number, b: number): number => (b === 0 ? a : greatestCommonDivisor(b, a % b));

/** A fal request body (and its `fal_webhook` query) as the unified request for the endpoint's provider. */
export function falInputToRequest(route: FalModelRoute, body: unknown, webhookUrl: string | undefined): FalRequestMapping {
  const input: FalInput = parseOrThrow(falInputSchema, body ?? {});
  const origins = new Map<string, Array<string | number>>();
  const from = <Value>(field: string, falField: string, value: Value): Value => {
    if (value !== undefined) origins.set(field, ['body', falField]);
    return value;
  };
  const options: Record<string, unknown> = {};
  for (const [falName, name] of Object.entries(optionNames)) {
    if (input[falName] !== undefined) options[name] = from(`options.${name}`, falName, input[falName]);
  }
  if (input.duration !== undefined) options.duration = from('options.duration', 'duration', Number.parseInt(String(input.duration), 10));
  const fromImageSize = (field: string) => origins.set(field, ['body', 'image_size']);
  Object.assign(options, sizeOptions(route, input.image_size, fromImageSize));
  if (route.imageRequired && !input.image_url) throw invalidInput('image_url', 'this endpoint animates an image: image_url is required');
  const endImage = input.end_image_url ? 'end_image_url' : 'tail_image_url';
  const request: GenerateRequest = {
    type: route.type,
    provider: route.provider,
    input: {
      text: from('input.text', input.prompt === undefined ? 'text' : 'prompt', input.prompt ?? input.text),
      negativePrompt: from('input.negativePrompt', 'negative_prompt', input.negative_prompt),
      image: from('input.image', 'image_url', input.image_url),
      endImage: from('input.endImage', endImage, input[endImage]),
      references: from('input.references', 'image_urls', input.image_urls),
      // Speech models take the voice as an option, avatar models as an input.
      voice: route.type === 'AUDIO' ? undefined : from('input.voice', 'voice', input.voice),
    },
    options: { ...options, ...(route.type === 'AUDIO' && input.voice ? { voice: from('options.voice', 'voice', input.voice) } : {}), ...route.fixed },
    webhookUrl,
  };
  if (webhookUrl) origins.set('webhookUrl', ['query', 'fal_webhook']);
  return { request, locationOf: (field) => locationOf(origins, field) };
}

/** `image_size` as the provider's width and height, or as an aspect ratio. */
function sizeOptions(route: FalModelRoute, size: FalInput['image_size'], note: (field: string) => void): Record<string, unknown> {
  if (size === undefined) return {};
  if (typeof size === 'string') {
    note('options.aspectRatio');
    return { aspectRatio: imageSizePresets[size] };
  }
  if (route.sizing === 'pixels') {
    for (const field of ['options.width', 'options.height']) note(field);
    return { width: size.width, height: size.height };
  }
  note('options.aspectRatio');
  const divisor = greatestCommonDivisor(size.width, size.height);
  return { aspectRatio: `${size.width / divisor}:${size.height / divisor}` };
}

/** fal's usual name for each genway field, for a field whose origin is not known (an upstream's verdict, read later). */
const usualOrigins = new Map<string, Array<string | number>>([
  ['input.text', ['body', 'prompt']],
  ['input.negativePrompt', ['body', 'negative_prompt']],
  ['input.image', ['body', 'image_url']],
  ['input.endImage', ['body', 'end_image_url']],
  ['input.references', ['body', 'image_urls']],
  ...Object.entries(optionNames).map(([falName, name]): [string, Array<string | number>] => [`options.${name}`, ['body', falName]]),
]);

/** The origin of `field` or of the nearest field it is inside (`input.references.2` → `image_urls.2`). */
function locationOf(origins: Map<string, Array<string | number>>, field: string): Array<string | number> {
  const parts = field.split('.');
  for (let length = parts.length; length > 0; length--) {
    const origin = origins.get(parts.slice(0, length).join('.'));
    if (origin) return [...origin, ...parts.slice(length).map((part) => (/^\d+$/.test(part) ? Number(part) : part))];
  }
  if (origins !== usualOrigins) return locationOf(usualOrigins, field);
  // Fields fal sent under their own name (a problem found before mapping) and those the endpoint id fixed.
  return ['body', ...parts.filter((part) => part !== 'input' && part !== 'options')];
}

/** Where a genway field usually comes from in a fal request, when the request itself is not at hand. */
export const usualLocationOf = (field: string) => locationOf(usualOrigins, field);
