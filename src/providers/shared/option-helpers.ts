import { z } from 'zod';
import { uploadUriScheme } from '../../uploads/upload-uri.ts';
import type { GenerationRequest, InputProblem } from '../spec.ts';

/** Shared option pieces so every provider spells the common ones the same way. */
export const aspectRatioOption = <const Ratios extends readonly [string, ...string[]]>(ratios: Ratios, fallback: Ratios[number]) =>
  z.enum(ratios).default(fallback).describe('Aspect ratio of the output');

/** Whether an upstream that fetches inputs itself can have this one: an https URL, or an upload (sent as a link to it). */
export const isFetchableUrl = (value: string) => value.startsWith('https://') || value.startsWith(uploadUriScheme);

export const seedOption = z.number().int().min(0).max(4_294_967_295).optional().describe('Random seed for reproducible results');

export const durationOption = <const Seconds extends readonly [number, ...number[]]>(seconds: Seconds, fallback: Seconds[number]) =>
  z
    .union(seconds.map((value) => z.literal(value)) as unknown as [z.ZodLiteral<Seconds[number]>, z.ZodLiteral<Seconds[number]>])
    .default(fallback as never)
    .describe('Length of the output in seconds');

export const textRequired =
  (maxLength: number) =>
  (request: GenerationRequest): InputProblem | null => {
    const text = request.input.text;
    if (!text || text.trim() === '') return { field: 'input.text', message: 'is required' };
    if (text.length > maxLength) return { field: 'input.text', message: `must be at most ${maxLength} characters` };
    return null;
  };

/** Composes input checks (each may read the provider's typed options); the first problem wins. */
export const allOf =
  <Options>(...checks: Array<(request: GenerationRequest<Options>) => InputProblem | null>) =>
  (request: GenerationRequest<Options>): InputProblem | null => {
    for (const check of checks) {
      const problem = check(request);
      if (problem) return problem;
    }
    return null;
  };

/** Rough speaking rate used to estimate speech length from text (about 15 characters a second). */
export const speechSeconds = (text: string | undefined) => Math.min(300, Math.max(1, Math.ceil((text ?? '').length / 15)));

/** Checks the request's model against a table of models that need an input image (image-to-video only). */
export const imageRequiredFor =
  (models: readonly string[]) =>
  (request: GenerationRequest<{ model?: unknown }>): InputProblem | null =>
    models.includes(String(request.options.model)) && !request.input.image ? { field: 'input.image', message: `${String(request.options.model)} animates an image: input.image is required` } : null;

/** "5 or 10 seconds", "4, 6 or 8 seconds": limit texts made from the numbers the checks use. */
export const describeChoices = (values: readonly (string | number)[], unit = '') =>
  `${values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : String(values[0])}${unit ? ` ${unit}` : ''}`;

/** `{ seed }` when the request set one: hosts call the field `seed` too. */
export const seedField = (options: { seed?: number }) => (typeof options.seed === 'number' ? { seed: options.seed } : {});
