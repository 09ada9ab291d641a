import { z } from 'zod';
import { seedOption, textRequired } from './common-options.ts';
import { defineProvider, type ProviderDefinition } from './spec.ts';

/** Aspect ratios Black Forest Labs' FLUX endpoints accept. */
export const fluxAspectRatios = ['21:9', '16:9', '3:2', '4:3', '1:1', '3:4', '2:3', '9:16', '9:21'] as const;

const fluxBaseOptions = {
  aspectRatio: z.enum(fluxAspectRatios).default('1:1').describe('Aspect ratio of the image'),
  seed: seedOption,
  safetyTolerance: z.number().int().min(0).max(6).default(2).describe('0 is strictest, 6 most permissive'),
  outputFormat: z.enum(['jpeg', 'png']).default('jpeg').describe('Image file format'),
  promptUpsampling: z.boolean().default(false).describe('Let FLUX expand the prompt'),
};

interface FluxMember<Extra extends z.ZodRawShape> {
  id: string;
  name: string;
  description: string;
  models: [string, ...string[]];
  /** US$ per image for each model. */
  usdPerImage: Record<string, number>;
  qualityScore: number;
  estimatedSeconds: number;
  features: string[];
  extraOptions: Extra;
  acceptsImage?: boolean;
}

/** The FLUX family shares one API shape; each member adds its own options and prices. */
export function defineFluxProvider<Extra extends z.ZodRawShape>(member: FluxMember<Extra>): ProviderDefinition {
  const optionsSchema = z.strictObject({
    model: z.enum(member.models).default(member.models[0]).describe('FLUX model'),
    ...fluxBaseOptions,
    ...member.extraOptions,
  });
  const checkText = textRequired(5000);
  return defineProvider({
    id: member.id,
    name: member.name,
    description: member.description,
    types: ['IMAGE'],
    models: member.models,
    features: member.features,
    limitations: ['One image per request', 'Prompt at most 5000 characters', member.acceptsImage ? 'Input image up to 20 MB' : 'No input image'],
    qualityScore: member.qualityScore,
    optionsSchema,
    checkInput: (request) => (!member.acceptsImage && request.input.image ? { field: 'input.image', message: `${member.id} does not take an input image` } : checkText(request)),
    quote: ({ options }) => {
      const model = String((options as { model: string }).model);
      return { usd: member.usdPerImage[model] ?? 0.05, estimatedSeconds: member.estimatedSeconds, model };
    },
    polling: { initialDelayMs: 1000, intervalMs: 1000, maxIntervalMs: 5000 },
  });
}
