import { z } from 'zod';

/** Request bodies of Runway's avatar, document and realtime-session endpoints (@runwayml/sdk 4.20.1 types). */

/** Voices a realtime avatar speaks with (`runway-live-preset`), distinct from the text-to-speech presets. */
export const liveVoicePresets = [
  ...['victoria', 'vincent', 'clara', 'drew', 'skye', 'max', 'morgan', 'felix', 'mia', 'marcus', 'summer', 'ruby', 'aurora', 'jasper', 'leo'],
  ...['adrian', 'nina', 'emma', 'blake', 'david', 'maya', 'nathan', 'sam', 'georgia', 'petra', 'adam', 'zach', 'violet', 'roman', 'luna'],
] as const;

/** Runway's own avatars a realtime session can use without creating one. */
export const presetAvatars = [
  ...['game-character', 'music-superstar', 'game-character-man', 'cat-character', 'influencer'],
  ...['tennis-coach', 'human-resource', 'fashion-designer', 'cooking-teacher'],
] as const;

const mediaUri = z
  .string()
  .min(1)
  .refine((value) => /^(https:\/\/|data:image\/|runway:\/\/)/.test(value), 'must be an HTTPS URL, a data URI or a runway:// upload URI');

const voice = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('runway-live-preset'), presetId: z.enum(liveVoicePresets) }),
  z.strictObject({ type: z.literal('custom'), id: z.string().min(1) }),
]);

const avatarFields = {
  name: z.string().min(1).max(100),
  personality: z.string().min(1).max(10_000),
  referenceImage: mediaUri,
  voice,
  documentIds: z.array(z.string().min(1)).max(50).optional(),
  imageProcessing: z.enum(['optimize', 'none']).optional(),
  startScript: z.string().max(2000).optional(),
};

export const avatarCreateBody = z.strictObject(avatarFields);
export const avatarUpdateBody = z
  .strictObject({ ...avatarFields, startScript: avatarFields.startScript.nullable() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'at least one field must be given');
export type AvatarCreate = z.infer<typeof avatarCreateBody>;
export type AvatarUpdate = z.infer<typeof avatarUpdateBody>;

export const documentCreateBody = z.strictObject({ name: z.string().min(1).max(200), content: z.string().min(1).max(1_000_000) });
export const documentUpdateBody = documentCreateBody.partial().refine((body) => Object.keys(body).length > 0, 'name or content is required');
export type DocumentCreate = z.infer<typeof documentCreateBody>;
export type DocumentUpdate = z.infer<typeof documentUpdateBody>;

export const sessionCreateBody = z.looseObject({
  model: z.literal('gwm1_avatars'),
  avatar: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('runway-preset'), presetId: z.enum(presetAvatars) }),
    z.strictObject({ type: z.literal('custom'), avatarId: z.string().min(1) }),
  ]),
  maxDuration: z.number().int().min(10).max(300).optional(),
  personality: z.string().max(10_000).optional(),
  startScript: z.string().max(2000).optional(),
  tools: z.array(z.looseObject({ type: z.enum(['client_event', 'backend_rpc']), name: z.string().regex(/^[A-Za-z_]\w*$/), description: z.string() })).optional(),
});
export type SessionCreate = z.infer<typeof sessionCreateBody>;

const limit = z.coerce.number().int().min(1).max(100).default(50);
export const listQuery = z.object({ limit, cursor: z.string().max(200).optional() });
export const documentListQuery = listQuery.extend({ order: z.enum(['asc', 'desc']), sort: z.enum(['createdAt', 'updatedAt']) });
export type ListQuery = z.infer<typeof listQuery>;
export type DocumentListQuery = z.infer<typeof documentListQuery>;
