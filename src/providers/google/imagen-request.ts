import type { ConnectorContext, GenerationRequest } from '../spec.ts';
import type { ImagenOptions } from './imagen-options.ts';

/**
 * The body of `POST /v1beta/models/{model}:generateContent` asking for an image: the prompt, then any input and
 * reference images as inline data (the Gemini API takes no image URLs), and the image settings.
 */
export async function buildImageContent({ input, options }: GenerationRequest<ImagenOptions>, context: Pick<ConnectorContext, 'readMedia'>) {
  const images = [...(input.image ? [['input.image', input.image] as const] : []), ...(input.references ?? []).map((reference, index) => [`input.references.${index}`, reference] as const)];
  const imageParts = await Promise.all(
    images.map(async ([field, reference]) => {
      const media = await context.readMedia(reference, field);
      return { inlineData: { mimeType: media.mimeType, data: Buffer.from(media.bytes).toString('base64') } };
    }),
  );
  // 1K is every model's default size, and the only one gemini-2.5-flash-image takes.
  const imageSize = options.imageSize === '1K' ? {} : { imageSize: options.imageSize };
  return {
    contents: [{ role: 'user', parts: [{ text: input.text }, ...imageParts] }],
    generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: options.aspectRatio, ...imageSize } },
  };
}
