import { z } from 'zod';
import type { ErrorCode } from '../../errors/gateway-error.ts';
import type { GenerateRequest } from '../../generations/generate-request.ts';
import type { Generation, GenerationType } from '../../generations/generation.ts';

/** Runway's create-task bodies, as its API reference gives them; fields we do not use (contentModeration…) are let through. */
const uri = z.string().min(1);
const seed = z.number().int().optional();
export const runwayTaskBodies = {
  text_to_video: z.looseObject({ model: z.string(), promptText: z.string(), ratio: z.string(), duration: z.number().optional(), seed }),
  image_to_video: z.looseObject({
    model: z.string(),
    promptImage: z.union([uri, z.array(z.object({ uri, position: z.enum(['first', 'last']) })).min(1)]),
    promptText: z.string().optional(),
    ratio: z.string(),
    duration: z.number().optional(),
    seed,
  }),
  video_to_video: z.looseObject({
    model: z.string(),
    videoUri: uri,
    promptText: z.string().optional(),
    ratio: z.string().optional(),
    seed,
    references: z.array(z.object({ type: z.string(), uri })).optional(),
  }),
  text_to_image: z.looseObject({ model: z.string(), promptText: z.string(), ratio: z.string(), seed, referenceImages: z.array(z.object({ uri, tag: z.string().optional() })).optional() }),
  text_to_speech: z.looseObject({
    model: z.string(),
    promptText: z.string(),
    voice: z.union([z.object({ type: z.literal('runway-preset'), presetId: z.string() }), z.object({ type: z.literal('reference-audio'), audioUri: uri })]).optional(),
    seed,
  }),
  sound_effect: z.looseObject({ model: z.string(), promptText: z.string(), duration: z.number().optional(), referenceAudios: z.array(uri).max(3).optional() }),
  voice_isolation: z.looseObject({ model: z.string(), audioUri: uri }),
  voice_dubbing: z.looseObject({ model: z.string(), audioUri: uri, targetLang: z.string() }),
  speech_to_speech: z.looseObject({ model: z.string(), media: z.object({ type: z.enum(['audio', 'video']), uri }), voice: z.object({ type: z.string(), presetId: z.string() }) }),
} as const;

export type RunwayTaskEndpoint = keyof typeof runwayTaskBodies;
type Body<Endpoint extends RunwayTaskEndpoint> = z.infer<(typeof runwayTaskBodies)[Endpoint]>;

const typeOf: Record<RunwayTaskEndpoint, GenerationType> = {
  text_to_video: 'VIDEO',
  image_to_video: 'VIDEO',
  video_to_video: 'VIDEO',
  text_to_image: 'IMAGE',
  text_to_speech: 'AUDIO',
  sound_effect: 'AUDIO',
  voice_isolation: 'AUDIO',
  voice_dubbing: 'AUDIO',
  speech_to_speech: 'AUDIO',
};

/** The unified request's `options.task` for each of Runway's audio endpoints other than speech (the default). */
const audioTaskOf: Partial<Record<RunwayTaskEndpoint, string>> = {
  sound_effect: 'sound-effect',
  voice_isolation: 'voice-isolation',
  voice_dubbing: 'dubbing',
  speech_to_speech: 'speech-to-speech',
};

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** A Runway task request as our unified request for `provider`; the provider's own schema then judges it. */
export function runwayBodyToRequest(endpoint: RunwayTaskEndpoint, raw: unknown, provider: string): GenerateRequest {
  const body = raw as Partial<Body<'image_to_video'> & Body<'video_to_video'> & Body<'text_to_image'> & Body<'sound_effect'> & Body<'voice_dubbing'> & Body<'speech_to_speech'>> & {
    voice?: { presetId?: string; audioUri?: string };
    audioUri?: string;
  };
  const images = typeof body.promptImage === 'string' ? [{ uri: body.promptImage, position: 'first' }] : (body.promptImage ?? []);
  const references = [...(body.references ?? []), ...(body.referenceImages ?? [])].map((reference) => reference.uri);
  const media = (type: 'audio' | 'video') => (body.media?.type === type ? body.media.uri : undefined);
  return {
    type: typeOf[endpoint],
    provider,
    input: withoutUndefined({
      text: body.promptText,
      image: images.find((image) => image.position === 'first')?.uri,
      endImage: images.find((image) => image.position === 'last')?.uri,
      video: body.videoUri ?? media('video'),
      audio: body.audioUri ?? media('audio') ?? body.voice?.audioUri ?? body.referenceAudios?.[0],
      voice: body.voice?.presetId,
      references: references.length > 0 ? references : undefined,
    }),
    options: withoutUndefined({
      model: body.model,
      task: audioTaskOf[endpoint],
      targetLanguage: body.targetLang,
      aspectRatio: body.ratio,
      duration: body.duration,
      seed: body.seed,
    }),
  };
}

/** Our error codes as Runway failure codes, for clients that branch on them. */
const failureCodes: Partial<Record<ErrorCode, string>> = {
  CONTENT_MODERATION: 'SAFETY.INPUT.TEXT',
  GENERATION_FAILED: 'INTERNAL.BAD_OUTPUT',
  INVALID_INPUT: 'ASSET.INVALID',
};

/** A generation as a Runway task. Costs are in this gateway's credits. */
export function runwayTaskView(generation: Generation, waitingForSlot = false) {
  const base = { id: generation.id, createdAt: new Date(generation.createdAt).toISOString() };
  const cost = { credits: generation.mode === 'live' ? generation.creditCost : 0 };
  switch (generation.status) {
    case 'QUEUED':
      return { ...base, status: waitingForSlot ? 'THROTTLED' : 'PENDING', estimatedCost: cost };
    case 'PROCESSING':
      return { ...base, status: 'RUNNING', progress: generation.progress, estimatedCost: cost };
    case 'COMPLETED':
      return { ...base, status: 'SUCCEEDED', output: generation.outputs, cost };
    case 'FAILED':
      return { ...base, status: 'FAILED', failure: generation.error?.message ?? 'The task failed', failureCode: failureCodes[generation.error?.code ?? 'INTERNAL'] ?? 'INTERNAL', cost };
    case 'CANCELLED':
      return { ...base, status: 'CANCELLED', cost };
  }
}
