import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import type { ProviderDefinition } from '../../providers/spec.ts';
import type { UploadStore } from '../../uploads/upload-store.ts';
import { uploadUriFor } from '../../uploads/upload-uri.ts';
import { imageParameters, imageRequest } from './openai-images.ts';
import type { OpenAiRegistry } from './openai-media.ts';

/** The most images one edit takes: the first is the image to edit, the others its references (genway takes 8). */
export const maxEditImages = 9;

const imageFile = z.instanceof(Buffer, { error: 'must be an image file' });
const imageFiles = z.union([imageFile, z.array(imageFile).min(1).max(maxEditImages)]);

/**
 * `POST /images/edits` as the `openai` package's `ImageEditParams` sends it: a multipart form whose fields arrive as
 * strings, `image` one file (or `image[]` several, as the SDK spells an array) and an optional `mask` file.
 */
export const imageEditBodySchema = z.looseObject({
  image: imageFiles.optional(),
  'image[]': imageFiles.optional(),
  mask: imageFile.optional(),
  prompt: z.string().min(1),
  model: z.string().min(1),
  n: z
    .string()
    .regex(/^\d{1,2}$/, 'must be a whole number from 1 to 10')
    .optional(),
  size: z
    .string()
    .regex(/^(auto|\d{2,5}x\d{2,5})$/, 'must be auto or WIDTHxHEIGHT, e.g. 1024x1024')
    .optional(),
  response_format: z.enum(['url', 'b64_json']).optional(),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  stream: z.literal('false').optional(),
  user: z.string().max(256).optional(),
});
export type ImageEditBody = z.infer<typeof imageEditBodySchema>;

/** As for generations, and the uploaded images are the unified request's `input.image` and `input.references`. */
export const imageEditParameters: Record<string, string> = {
  ...imageParameters,
  'input.image': 'image',
  'input.references': 'image',
  'image[]': 'image',
  file: 'image',
};

/** A stand-in media input for asking a provider's own checks whether it takes an input image at all. */
const probeImage = uploadUriFor('upl_probe000000');

/** Whether the provider edits images: its own input checks do not refuse an input image (flux-dev does). */
function takesInputImage(definition: ProviderDefinition, prompt: string): boolean {
  const options = definition.optionsSchema.safeParse({});
  // A provider without defaults for every option is left to the generation service's full checks.
  if (!options.success) return true;
  const problem = definition.checkInput({ type: 'IMAGE', input: { text: prompt, image: probeImage }, options: options.data });
  return problem?.field !== 'input.image';
}

/** The form's images, checked to be images before anything is stored. */
async function imagesOf(body: ImageEditBody): Promise<Buffer[]> {
  const given = body.image ?? body['image[]'];
  const images = given === undefined ? [] : Array.isArray(given) ? given : [given];
  if (images.length === 0) throw new GatewayError('INVALID_INPUT', 'image: an image file is required', { details: { field: 'image' } });
  for (const image of images) {
    const type = await fileTypeFromBuffer(image);
    if (!type?.mime.startsWith('image/')) throw new GatewayError('INVALID_INPUT', 'image: must be a PNG, JPEG or WEBP image file', { details: { field: 'image' } });
  }
  return images;
}

/**
 * The form as a unified IMAGE request: checked as `images/generations` checks its body, the model checked to edit
 * images, and the images stored as this account's uploads, whose URIs become `input.image` and `input.references`.
 */
export async function imageEditRequest(
  registry: OpenAiRegistry,
  uploads: Pick<UploadStore, 'begin' | 'receive'>,
  accountId: string,
  body: ImageEditBody,
  mode: 'live' | 'test',
): Promise<GenerateRequest> {
  const generation = imageRequest(registry, { ...body, n: body.n === undefined ? undefined : Number(body.n), stream: undefined }, mode);
  const definition = registry.get(generation.provider!)!;
  if (!takesInputImage(definition, body.prompt)) {
    const editors = registry.list('IMAGE').filter((each) => takesInputImage(each, body.prompt));
    throw new GatewayError('INVALID_INPUT', `The model '${body.model}' does not edit images; these do: ${editors.map((each) => each.id).join(', ')}`, { details: { field: 'model' } });
  }
  // No provider in the catalog takes a mask: refused rather than ignored, so the client never gets an unmasked edit.
  if (body.mask) throw new GatewayError('INVALID_INPUT', `mask: ${definition.id} takes no mask; describe the region to change in the prompt`, { details: { field: 'mask' } });
  const uris = await Promise.all((await imagesOf(body)).map((image, index) => storedUpload(uploads, accountId, `image-${index + 1}`, image)));
  const [image, ...references] = uris;
  return { ...generation, input: { ...generation.input, image, ...(references.length > 0 ? { references } : {}) } };
}

async function storedUpload(uploads: Pick<UploadStore, 'begin' | 'receive'>, accountId: string, filename: string, bytes: Buffer): Promise<string> {
  const { id, token } = await uploads.begin(accountId, filename);
  const upload = await uploads.receive(id, token, Readable.from([bytes]));
  return uploadUriFor(upload.id);
}
