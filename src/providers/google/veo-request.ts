import type { ConnectorContext, GenerationRequest, InputProblem } from '../spec.ts';
import type { VeoOptions } from './veo-options.ts';

/** The Gemini API takes no seed and always makes audio (Google's SDK refuses both fields outside Vertex AI). */
export function checkGeminiRoute({ options }: GenerationRequest<VeoOptions>): InputProblem | null {
  if (options.seed !== undefined) return { field: 'options.seed', message: 'the Gemini API takes no seed (the Vertex AI and Runway routes do)' };
  if (!options.generateAudio) return { field: 'options.generateAudio', message: 'the Gemini API always generates audio (the Vertex AI and Runway routes can turn it off)' };
  return null;
}

/** An image as the Gemini API takes it: inline bytes, never a URL. */
async function inlineImage(reference: string, field: string, context: Pick<ConnectorContext, 'readMedia'>) {
  const media = await context.readMedia(reference, field);
  return { bytesBase64Encoded: Buffer.from(media.bytes).toString('base64'), mimeType: media.mimeType };
}

/**
 * The body of `…:predictLongRunning`, as @google/genai builds it: for the Gemini API, or for Vertex AI, which also
 * takes a seed and can leave the audio out.
 */
export async function buildVeoBody({ input, options }: GenerationRequest<VeoOptions>, context: Pick<ConnectorContext, 'readMedia'>, api: 'gemini' | 'vertex') {
  const instance = {
    prompt: input.text,
    ...(input.image ? { image: await inlineImage(input.image, 'input.image', context) } : {}),
    ...(input.endImage ? { lastFrame: await inlineImage(input.endImage, 'input.endImage', context) } : {}),
  };
  const parameters = {
    sampleCount: 1,
    aspectRatio: options.aspectRatio,
    durationSeconds: options.duration,
    resolution: options.resolution,
    ...(input.negativePrompt ? { negativePrompt: input.negativePrompt } : {}),
    ...(options.personGeneration ? { personGeneration: options.personGeneration } : {}),
    ...(api === 'vertex' ? { generateAudio: options.generateAudio, ...(options.seed !== undefined ? { seed: options.seed } : {}) } : {}),
  };
  return { instances: [instance], parameters };
}
