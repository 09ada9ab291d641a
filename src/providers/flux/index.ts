import type { z } from 'zod';
import { defineProvider, defineRoute, type ProviderDefinition } from '../spec.ts';
import { createBflClient } from './flux-client.ts';
import { fluxLimits, fluxModels } from './flux-models.ts';
import { checkFluxInput, type FluxOptions, fluxDevOptionsSchema, fluxKontextOptionsSchema, fluxModelsOf, fluxProOptionsSchema, fluxUltraOptionsSchema } from './flux-options.ts';
import { bflSettings } from './flux-settings.ts';

/** Every FLUX model runs on Black Forest Labs' own API. */
const bflRoute = defineRoute({ id: 'bfl', settings: bflSettings, connect: createBflClient });

interface FluxMember<Options extends FluxOptions> {
  id: string;
  name: string;
  description: string;
  optionsSchema: z.ZodType<Options> & Parameters<typeof fluxModelsOf>[0];
  qualityScore: number;
  estimatedSeconds: number;
  features: string[];
  image: 'refused' | 'required' | 'optional';
}

/** Black Forest Labs' FLUX models share one API; each provider id is a family of its endpoints. */
function fluxProvider<Options extends FluxOptions>(member: FluxMember<Options>): ProviderDefinition {
  const imageLimit = {
    refused: 'No input image',
    required: `Needs an input image (up to ${fluxLimits.inputImageBytes / 1024 / 1024} MB)`,
    optional: `Optional input image up to ${fluxLimits.inputImageBytes / 1024 / 1024} MB`,
  };
  return defineProvider<Options>({
    id: member.id,
    name: member.name,
    description: member.description,
    types: ['IMAGE'],
    models: fluxModelsOf(member.optionsSchema),
    features: member.features,
    limitations: ['One image per request', `Prompt at most ${fluxLimits.promptChars} characters`, imageLimit[member.image]],
    qualityScore: member.qualityScore,
    optionsSchema: member.optionsSchema,
    checkInput: (request) => checkFluxInput(request, member.image),
    quote: ({ options }) => ({ usd: fluxModels[options.model].usdPerImage, estimatedSeconds: member.estimatedSeconds, model: options.model }),
    polling: { initialDelayMs: 1000, intervalMs: 1000, maxIntervalMs: 5000 },
    routes: [bflRoute],
  });
}

export const fluxDevProvider = fluxProvider({
  id: 'flux-dev',
  name: 'FLUX.1 [dev]',
  description: 'Development model for fast iteration: a balance of speed and quality for prototyping.',
  optionsSchema: fluxDevOptionsSchema,
  qualityScore: 6,
  estimatedSeconds: 8,
  features: ['Text to image', 'Fast iteration', 'Guidance and steps control', 'Exact pixel sizes'],
  image: 'refused',
});

export const fluxProProvider = fluxProvider({
  id: 'flux-pro',
  name: 'FLUX 1.1 [pro]',
  description: 'Professional image generation with fine detail, artistic control and excellent prompt adherence.',
  optionsSchema: fluxProOptionsSchema,
  qualityScore: 8,
  estimatedSeconds: 10,
  features: ['Text to image', 'Prompt upsampling', 'Safety tolerance control', 'Exact pixel sizes'],
  image: 'optional',
});

export const fluxUltraProvider = fluxProvider({
  id: 'flux-ultra',
  name: 'FLUX 1.1 [pro] Ultra',
  description: 'Highest-quality FLUX model: up to 4 megapixels with extreme detail for demanding projects.',
  optionsSchema: fluxUltraOptionsSchema,
  qualityScore: 9,
  estimatedSeconds: 15,
  features: ['Text to image', 'Up to 4 megapixels', 'Raw mode for natural-looking photos', 'Image prompts'],
  image: 'optional',
});

export const fluxKontextProvider = fluxProvider({
  id: 'flux-kontext',
  name: 'FLUX.1 Kontext',
  description: 'Context-aware image editing with Pro and Max modes: change an input image by instruction while keeping characters and style.',
  optionsSchema: fluxKontextOptionsSchema,
  qualityScore: 8,
  estimatedSeconds: 12,
  features: ['Image editing from an input image', 'Character and style consistency'],
  image: 'required',
});
