import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import type { Generation } from '../../generations/generation.ts';
import { hasOption, type OpenAiRegistry, type OutputFiles, providerFor, readOutput, sizeOptions, unixSeconds } from './openai-media.ts';

/** `POST /images/generations` as the `openai` package's `ImageGenerateParams` sends it; fields we cannot honour are refused by name. */
export const imageGenerationBodySchema = z.looseObject({
  prompt: z.string().min(1),
  model: z.string().min(1),
  n: z.number().int().min(1).max(10).nullish(),
  size: z
    .string()
    .regex(/^(auto|\d{2,5}x\d{2,5})$/, 'must be auto or WIDTHxHEIGHT, e.g. 1024x1024')
    .nullish(),
  quality: z.enum(['standard', 'hd', 'low', 'medium', 'high', 'auto']).nullish(),
  response_format: z.enum(['url', 'b64_json']).nullish(),
  output_format: z.enum(['png', 'jpeg', 'webp']).nullish(),
  style: z.enum(['vivid', 'natural']).nullish(),
  background: z.enum(['transparent', 'opaque', 'auto']).nullish(),
  stream: z.literal(false).nullish(),
  user: z.string().max(256).optional(),
});
export type ImageGenerationBody = z.infer<typeof imageGenerationBodySchema>;

/** How the unified request's fields are named in this endpoint's errors. */
export const imageParameters: Record<string, string> = {
  provider: 'model',
  type: 'model',
  'input.text': 'prompt',
  'options.model': 'model',
  'options.width': 'size',
  'options.height': 'size',
  'options.aspectRatio': 'size',
  'options.outputFormat': 'output_format',
};

/** What the sandbox makes for every image provider. */
const sandboxImageFormat = 'png';

/** The body as a unified IMAGE request for the provider `model` names, checked against what that provider can do. */
export function imageRequest(registry: OpenAiRegistry, body: ImageGenerationBody, mode: 'live' | 'test'): GenerateRequest {
  const { definition, options } = providerFor(registry, body.model, 'IMAGE');
  // No image provider here makes several images per request (none has a count option): one per call.
  if ((body.n ?? 1) > 1) throw new GatewayError('INVALID_INPUT', `n: ${definition.id} makes one image per request; send n=1 and call again for more`, { details: { field: 'n' } });
  const format = body.output_format;
  const formatOption = format && hasOption(options, 'outputFormat') ? { outputFormat: format } : {};
  if (format && !formatOption.outputFormat && mode === 'test' && format !== sandboxImageFormat) {
    throw new GatewayError('INVALID_INPUT', `output_format: test keys make ${sandboxImageFormat} images`, { details: { field: 'output_format' } });
  }
  return {
    type: 'IMAGE',
    provider: definition.id,
    input: { text: body.prompt },
    options: { ...sizeOptions(options, body.size ?? undefined), ...formatOption },
  };
}

/** OpenAI's `ImagesResponse`: the image as this gateway's URL, or its bytes in base64. */
export async function imagesResponse(generation: Generation, body: Pick<ImageGenerationBody, 'response_format'>, files: OutputFiles) {
  const data = await Promise.all(generation.outputs.map(async (url) => (body.response_format === 'b64_json' ? { b64_json: (await readOutput(files, url)).toString('base64') } : { url })));
  const format = generation.metadata?.format;
  return {
    created: unixSeconds(generation.createdAt),
    data,
    ...(format === 'png' || format === 'jpeg' || format === 'webp' ? { output_format: format } : {}),
  };
}
