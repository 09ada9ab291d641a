import { z } from 'zod';
import { seedOption } from '../common-options.ts';
import { defineProvider, type GenerationRequest, type InputProblem, type ProviderDefinition, type Quote } from '../spec.ts';
import { checkRunwayRequest, durationFor, runwayAspectRatios } from './runway-api.ts';
import { createRunwayConnector } from './runway-connector.ts';

/** Runway's own model ids, and the Doitong-style aliases (`gen-2|gen-3|gen-4`) the seeds use. */
export const runwayModels = ['gen4.5', 'gen4_turbo', 'gen4_aleph', 'gen3a_turbo', 'veo3', 'veo3.1', 'veo3.1_fast', 'gen4_image', 'gen4_image_turbo', 'eleven_multilingual_v2', 'eleven_text_to_sound_v2'] as const;
const versionAliases = ['gen-2', 'gen-3', 'gen-4'] as const;
type RunwayModel = (typeof runwayModels)[number];

/** Runway's list price in its own credits (US$0.01 each): per second of video, per image, per 50 characters of speech. */
const runwayCreditsPerUnit: Record<RunwayModel, number> = {
  'gen4.5': 12,
  gen4_turbo: 5,
  gen4_aleph: 15,
  gen3a_turbo: 5,
  veo3: 40,
  'veo3.1': 40,
  'veo3.1_fast': 15,
  gen4_image: 5,
  gen4_image_turbo: 2,
  eleven_multilingual_v2: 1,
  eleven_text_to_sound_v2: 2,
};
const runwayCreditUsd = 0.01;

export const runwayOptionsSchema = z.strictObject({
  model: z.enum([...runwayModels, ...versionAliases]).optional().describe('Runway model id, or gen-2 / gen-3 / gen-4 to let the gateway pick that generation'),
  version: z.enum(versionAliases).optional().describe('Model generation: gen-2, gen-3 or gen-4'),
  duration: z.number().int().min(2).max(10).optional().describe('Video length in seconds (default 5; Veo 8); sound effects take it too'),
  aspectRatio: z.enum(runwayAspectRatios).default('16:9').describe('Aspect ratio, or a Runway pixel ratio such as 1280:720'),
  quality: z.enum(['standard', 'high', 'pro']).default('standard').describe('standard uses the turbo models; high and pro the best model for the input'),
  motionIntensity: z.enum(['low', 'medium', 'high']).optional().describe('How much the scene moves'),
  kind: z.enum(['speech', 'sound_effect']).default('speech').describe('For AUDIO: speech from the text, or a sound effect it describes'),
  seed: seedOption,
});
export type RunwayOptions = z.infer<typeof runwayOptionsSchema>;

/** Picks Runway's model id from what the request holds and what the client asked for. */
export function resolveRunwayModel(request: GenerationRequest<RunwayOptions>): RunwayModel {
  const { type, input, options } = request;
  if (type === 'AUDIO') return options.kind === 'sound_effect' ? 'eleven_text_to_sound_v2' : 'eleven_multilingual_v2';
  if (type === 'IMAGE') return options.model === 'gen4_image_turbo' && input.references?.length ? 'gen4_image_turbo' : 'gen4_image';
  if (options.model && (runwayModels as readonly string[]).includes(options.model)) return options.model as RunwayModel;
  if (input.video) return 'gen4_aleph';
  const version = options.model ?? options.version;
  if (version === 'gen-3' || version === 'gen-2') return 'gen3a_turbo';
  if (input.image && options.quality === 'standard') return 'gen4_turbo';
  return 'gen4.5';
}

function quoteRunway(request: GenerationRequest<RunwayOptions>, markup: number): Quote {
  const model = resolveRunwayModel(request);
  const perUnit = runwayCreditsPerUnit[model];
  const units =
    request.type === 'AUDIO' ? Math.ceil((request.input.text ?? '').length / 50) : request.type === 'IMAGE' ? (request.options.quality === 'standard' ? 1 : 1.6) : durationFor(model, request.options.duration);
  const estimatedSeconds = request.type === 'VIDEO' ? 30 + durationFor(model, request.options.duration) * 8 : request.type === 'IMAGE' ? 15 : 5;
  return { usd: Math.max(1, units) * perUnit * runwayCreditUsd * markup, estimatedSeconds, model };
}

function checkRunwayInput(request: GenerationRequest<RunwayOptions>): InputProblem | null {
  const { input, type } = request;
  if (type === 'VIDEO' && !input.text && !input.image) return { field: 'input.text', message: 'a prompt text or an image is required' };
  if (type === 'VIDEO' && input.video && !input.text) return { field: 'input.text', message: 'is required for video-to-video' };
  if (type !== 'VIDEO' && !input.text) return { field: 'input.text', message: 'is required' };
  if (type !== 'VIDEO' && (input.video || input.image)) return { field: input.video ? 'input.video' : 'input.image', message: `is not used for ${type}` };
  return checkRunwayRequest(request, resolveRunwayModel(request));
}

interface RunwayFamilyMember {
  id: string;
  name: string;
  description: string;
  defaultBaseUrl: string;
  /** How long after submit a "no such task" answer means "not visible yet" rather than gone (CometAPI's lag). */
  notFoundGraceMs: number;
  /** What the reseller charges on top of Runway's list price. */
  markup: number;
  features?: string[];
}

/** Runway's API as sold by Runway itself and by resellers of the same API (CometAPI). */
export function defineRunwayFamilyProvider(member: RunwayFamilyMember): ProviderDefinition {
  return defineProvider<RunwayOptions>({
    id: member.id,
    name: member.name,
    description: member.description,
    types: ['VIDEO', 'IMAGE', 'AUDIO'],
    models: [...runwayModels],
    features: member.features ?? ['Text to video', 'Image to video', 'Video to video (gen4_aleph)', 'Text to image', 'Text to speech', 'Gen-2, Gen-3 and Gen-4 models'],
    limitations: ['Video 2-10 seconds', 'Prompt at most 1000 characters', 'Input images as HTTPS URLs (16 MB) or data URIs (5 MB)', 'Output URLs expire upstream within 24-48 hours; the gateway keeps its own copy'],
    qualityScore: 8,
    optionsSchema: runwayOptionsSchema,
    checkInput: checkRunwayInput,
    quote: (request) => quoteRunway(request, member.markup),
    polling: { initialDelayMs: 5000, intervalMs: 5000, maxIntervalMs: 30_000 },
    chargesModeratedInput: true,
    connect: (settings) =>
      settings.apiKey
        ? createRunwayConnector({
            providerName: member.name,
            baseUrl: settings.baseUrl || member.defaultBaseUrl,
            apiKey: settings.apiKey,
            notFoundGraceMs: member.notFoundGraceMs,
            usdPerRunwayCredit: runwayCreditUsd * member.markup,
          })
        : null,
  });
}
