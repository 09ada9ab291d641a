import { z } from 'zod';
import { defineProvider, defineRoute, type ProviderDefinition } from '../spec.ts';
import { createBflClient } from './flux-client.ts';
import { checkFluxInput, type FluxModelId, fluxCommonOptions, fluxLimits, fluxModels, fluxSizeOptions, safetyTolerance } from './flux-models.ts';
import { bflSettings } from './flux-settings.ts';

/** Every FLUX model runs on Black Forest Labs' own API. */
const bflRoute = defineRoute({ id: 'bfl', settings: bflSettings, connect: createBflClient });

interface FluxMember {
  id: string;
  name: string;
  description: string;
  models: [FluxModelId, ...FluxModelId[]];
  qualityScore: number;
  estimatedSeconds: number;
  features: string[];
  extraOptions: z.ZodRawShape;
  image: 'refused' | 'required' | 'optional';
  maxSafetyTolerance: number;
}

/** Black Forest Labs' FLUX models share one API; each provider id is a family of its endpoints. */
function fluxProvider(member: FluxMember): ProviderDefinition {
  const optionsSchema = z.strictObject({
    model: z.enum(member.models).default(member.models[0]).describe('FLUX model'),
    ...fluxCommonOptions,
    safetyTolerance: safetyTolerance(member.maxSafetyTolerance),
    ...member.extraOptions,
  });
  const imageLimit = {
    refused: 'No input image',
    required: `Needs an input image (up to ${fluxLimits.inputImageBytes / 1024 / 1024} MB)`,
    optional: `Optional input image up to ${fluxLimits.inputImageBytes / 1024 / 1024} MB`,
  };
  return defineProvider<z.infer<typeof optionsSchema>>({
    id: member.id,
    name: member.name,
    description: member.description,
    types: ['IMAGE'],
    models: member.models,
    features: member.features,
    limitations: ['One image per request', `Prompt at most ${fluxLimits.promptChars} characters`, imageLimit[member.image]],
    qualityScore: member.qualityScore,
    optionsSchema,
    checkInput: (request) => checkFluxInput(request as never, member.image),
    quote: ({ options }) => ({ usd: fluxModels[options.model as FluxModelId].usdPerImage, estimatedSeconds: member.estimatedSeconds, model: options.model as string }),
    polling: { initialDelayMs: 1000, intervalMs: 1000, maxIntervalMs: 5000 },
    routes: [bflRoute],
  });
}

export const fluxDevProvider = fluxProvider({
  id: 'flux-dev',
  name: 'FLUX.1 [dev]',
  description: 'Development model for fast iteration: a balance of speed and quality for prototyping.',
  models: ['flux-dev'],
  qualityScore: 6,
  estimatedSeconds: 8,
  features: ['Text to image', 'Fast iteration', 'Guidance and steps control', 'Exact pixel sizes'],
  extraOptions: {
    ...fluxSizeOptions,
    steps: z.number().int().min(1).max(50).default(28).describe('Denoising steps'),
    guidance: z.number().min(1.5).max(5).default(3).describe('How closely to follow the prompt'),
  },
  image: 'refused',
  maxSafetyTolerance: 6,
});

export const fluxProProvider = fluxProvider({
  id: 'flux-pro',
  name: 'FLUX 1.1 [pro]',
  description: 'Professional image generation with fine detail, artistic control and excellent prompt adherence.',
  models: ['flux-pro-1.1', 'flux-pro'],
  qualityScore: 8,
  estimatedSeconds: 10,
  features: ['Text to image', 'Prompt upsampling', 'Safety tolerance control', 'Exact pixel sizes'],
  extraOptions: fluxSizeOptions,
  image: 'optional',
  maxSafetyTolerance: 6,
});

export const fluxUltraProvider = fluxProvider({
  id: 'flux-ultra',
  name: 'FLUX 1.1 [pro] Ultra',
  description: 'Highest-quality FLUX model: up to 4 megapixels with extreme detail for demanding projects.',
  models: ['flux-pro-1.1-ultra'],
  qualityScore: 9,
  estimatedSeconds: 15,
  features: ['Text to image', 'Up to 4 megapixels', 'Raw mode for natural-looking photos', 'Image prompts'],
  extraOptions: {
    quality: z.enum(['ultra']).default('ultra').describe('Accepted for compatibility: Ultra always renders at up to 4 megapixels'),
    raw: z.boolean().default(false).describe('Less processed, more natural-looking images'),
    imagePromptStrength: z.number().min(0).max(1).default(0.1).describe('How much an input image steers the result'),
  },
  image: 'optional',
  maxSafetyTolerance: 6,
});

export const fluxKontextProvider = fluxProvider({
  id: 'flux-kontext',
  name: 'FLUX.1 Kontext',
  description: 'Context-aware image editing with Pro and Max modes: change an input image by instruction while keeping characters and style.',
  models: ['flux-kontext-pro', 'flux-kontext-max'],
  qualityScore: 8,
  estimatedSeconds: 12,
  features: ['Image editing from an input image', 'Character and style consistency'],
  extraOptions: {},
  image: 'required',
  // Sources disagree on Kontext's range; ComfyUI's client (which calls BFL) keeps to 0-2.
  maxSafetyTolerance: 2,
});
