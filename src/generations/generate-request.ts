import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.ts';
import { parseDataUri } from '../net/data-uri.ts';
import { pathBeyondDepth } from '../shared/json-limits.ts';
import { uploadIdOf, uploadUriForm } from '../uploads/upload-uri.ts';
import { generationTypes, priorities, webhookFormats, webhookMoments } from './generation.ts';

/** An input media reference: an HTTPS (or HTTP) URL, a base64 data URI whose media type is of the field's kind, or an upload. */
const mediaReference = (kind: 'image' | 'video' | 'audio') =>
  z
    .string()
    .max(16 * 1024 * 1024 * 1.4, 'is larger than the 16 MB data URI limit')
    .superRefine((value, context) => {
      if (uploadIdOf(value)) return;
      const inline = parseDataUri(value);
      if (inline === null && !isWebUrl(value)) context.addIssue({ code: 'custom', message: `must be an https URL, a base64 data URI or an upload URI (${uploadUriForm})` });
      else if (inline !== null && !inline.mimeType.toLowerCase().startsWith(`${kind}/`)) {
        context.addIssue({ code: 'custom', message: `must be ${kind === 'image' ? 'an' : 'a'} ${kind}: the data URI says ${inline.mimeType}` });
      }
    });

function isWebUrl(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export const generationInputSchema = z.strictObject({
  text: z.string().max(20_000).nullish(),
  negativePrompt: z.string().max(5000).nullish(),
  image: mediaReference('image').nullish(),
  endImage: mediaReference('image').nullish(),
  video: mediaReference('video').nullish(),
  audio: mediaReference('audio').nullish(),
  voice: z.string().max(200).nullish(),
  references: z.array(mediaReference('image')).max(8).nullish(),
});

/** Provider options are flat (a duration, a ratio, a seed); a little nesting is allowed for what may come. */
const maxOptionsDepth = 16;
/** Far above any provider's options, far below what would make storing and announcing a generation costly. */
const maxOptionsJsonChars = 64 * 1024;

/**
 * Free-form options, bounded before anything walks them recursively: over WebSocket they arrive without the HTTP
 * body's bound, and a stored generation is serialised again for every event and view.
 */
const optionsSchema = z.record(z.string(), z.unknown()).superRefine((options, context) => {
  const tooDeep = pathBeyondDepth(options, maxOptionsDepth);
  if (tooDeep) context.addIssue({ code: 'custom', message: `nests deeper than ${maxOptionsDepth} levels`, path: tooDeep });
  else if (JSON.stringify(options).length > maxOptionsJsonChars) context.addIssue({ code: 'custom', message: `is larger than ${maxOptionsJsonChars / 1024} KB as JSON` });
});

/** The one request shape every transport (GraphQL, REST, Runway-compatible) is turned into. */
export const generateRequestSchema = z.object({
  type: z.enum(generationTypes),
  provider: z.string().min(1).max(64).nullish(),
  input: generationInputSchema,
  options: optionsSchema.nullish(),
  priority: z.enum(priorities).nullish(),
  fallback: z.enum(['SAME_MODEL', 'ANY', 'NONE']).nullish(),
  fallbackProviders: z.array(z.string().min(1).max(64)).max(20).nullish(),
  webhookUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2048)
    .nullish(),
  /** Set by a surface whose clients read another body (GraphQL and REST leave genway's). */
  webhookFormat: z.enum(webhookFormats).nullish(),
  /** Unset: webhooks when the generation ends. */
  webhookMoments: z.array(z.enum(webhookMoments)).max(webhookMoments.length).nullish(),
  /** Cancelled this long after creation if it has not ended by then. */
  cancelAfterMs: z.number().int().positive().nullish(),
});

export type GenerateRequest = z.input<typeof generateRequestSchema>;
export type ValidGenerateRequest = z.output<typeof generateRequestSchema>;

/** Parses with zod and turns the first issue into INVALID_INPUT naming the field path (e.g. `input.image`). */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, value: unknown, pathPrefix = ''): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalidFromZod(parsed.error, pathPrefix);
}

export function invalidFromZod(error: z.ZodError, pathPrefix = ''): GatewayError {
  const issue = error.issues[0]!;
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [pathPrefix, ...issue.path.map(String), ...unknownKeys.slice(0, 1)].filter(Boolean).join('.');
  const field = path || pathPrefix || 'input';
  const message = issue.code === 'unrecognized_keys' ? `is not a known option (${unknownKeys.join(', ')})` : issue.message;
  return new GatewayError('INVALID_INPUT', `${field}: ${message}`, {
    details: { field, issues: error.issues.map((each) => ({ path: [pathPrefix, ...each.path.map(String)].filter(Boolean).join('.'), message: each.message })) },
  });
}
