import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fakeRunwayAccount } from './fake-runway-account.ts';
import { type RecordedRequest, type Send, startFakeServer } from './fake-server.ts';

/**
 * A fake of Runway's public API, written from its reference (the @runwayml/sdk type files and the
 * seed's API page), not from our adapter: it checks what it receives and answers like Runway, with
 * Runway's task statuses, failure codes and error bodies. CometAPI serves the same API under a prefix.
 */

export type TaskStatus = 'PENDING' | 'THROTTLED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export interface TaskStep {
  status: TaskStatus;
  progress?: number;
  failure?: string;
  failureCode?: string;
}

export type { RecordedRequest };

interface FakeTask {
  id: string;
  endpoint: string;
  body: any;
  steps: TaskStep[];
  polls: number;
  createdAt: string;
  cancelled: boolean;
  startedAt: number;
}

const version = '2024-11-06';
/** Media inputs: HTTPS URLs, data URIs, or the runway:// URI of an upload (which must be one this server issued). */
const httpsOrDataUri = z
  .string()
  .max(2048 * 1024 * 16)
  .refine((value) => value.startsWith('https://') || value.startsWith('data:') || value.startsWith('runway://'), 'must be an HTTPS URL, a data URI or a runway:// upload URI');
const promptText = z.string().min(1).max(1000);
const seed = z.number().int().min(0).max(4_294_967_295).optional();
const gen4Ratios = z.enum(['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672']);
const veoRatios = z.enum(['1280:720', '720:1280', '1080:1920', '1920:1080']);
const imageRatios = z.enum([
  '1024:1024',
  '1080:1080',
  '1168:880',
  '1360:768',
  '1440:1080',
  '1080:1440',
  '1808:768',
  '1920:1080',
  '1080:1920',
  '2112:912',
  '1280:720',
  '720:1280',
  '720:720',
  '960:720',
  '720:960',
  '1680:720',
]);
const promptImage = z.union([httpsOrDataUri, z.array(z.object({ uri: httpsOrDataUri, position: z.enum(['first', 'last']) })).min(1)]);
const presets = [
  'Maya',
  'Arjun',
  'Serene',
  'Bernard',
  'Billy',
  'Mark',
  'Clint',
  'Mabel',
  'Chad',
  'Leslie',
  'Eleanor',
  'Elias',
  'Elliot',
  'Grungle',
  'Brodie',
  'Sandra',
  'Kirk',
  'Kylie',
  'Lara',
  'Lisa',
  'Malachi',
  'Marlene',
  'Martin',
  'Miriam',
  'Monster',
  'Paula',
  'Pip',
  'Rusty',
  'Ragnar',
  'Xylar',
  'Maggie',
  'Jack',
  'Katie',
  'Noah',
  'James',
  'Rina',
  'Ella',
  'Mariah',
  'Frank',
  'Claudia',
  'Niki',
  'Vincent',
  'Kendrick',
  'Myrna',
  'Tom',
  'Wanda',
  'Benjamin',
  'Kiana',
  'Rachel',
] as const;

const presetVoice = z.strictObject({ type: z.literal('runway-preset'), presetId: z.enum(presets) });
const unitInterval = z.number().min(0).max(1).optional();
const seedAudioFields = {
  promptText: z.string().min(1),
  loudnessRate: z.number().optional(),
  pitchRate: z.number().optional(),
  speechRate: z.number().optional(),
  outputFormat: z.enum(['wav', 'mp3', 'ogg_opus']).optional(),
  sampleRate: z.union([8000, 16000, 24000, 32000, 44100, 48000].map((rate) => z.literal(rate))).optional(),
};

const veoFields = {
  promptText,
  ratio: veoRatios,
  duration: z.union([z.literal(4), z.literal(6), z.literal(8)]).optional(),
  seed,
  audio: z.boolean().optional(),
  negativePrompt: z.string().optional(),
};
/** seedance2's sizes, from 992:432 up to 3840:3840, and its duration (any number of seconds, or auto). */
const seedanceFields = {
  ratio: z
    .enum([
      ...(['992:432', '864:496', '752:560', '640:640', '560:752', '496:864', '1470:630', '1280:720', '1112:834', '960:960', '834:1112', '720:1280'] as const),
      ...(['2206:946', '1920:1080', '1664:1248', '1440:1440', '1248:1664', '1080:1920', '3840:1646', '3840:2160', '3840:2880', '3840:3840', '2880:3840', '2160:3840'] as const),
    ])
    .optional(),
  duration: z.union([z.number(), z.literal('auto')]).optional(),
  audio: z.boolean().optional(),
  seed,
  referenceAudio: z.array(z.strictObject({ type: z.literal('audio'), uri: httpsOrDataUri })).optional(),
};
const keyframe = z.union([z.strictObject({ seconds: z.number().min(0), uri: httpsOrDataUri }), z.strictObject({ at: z.number().min(0).max(1), uri: httpsOrDataUri })]);

/** Request bodies of SDK 4.20.1 (gen3a_turbo, gen4_aleph and veo3 are gone from it). */
const bodies: Record<string, z.ZodType> = {
  text_to_video: z.discriminatedUnion('model', [
    z.strictObject({ model: z.literal('gen4.5'), promptText, ratio: z.enum(['1280:720', '720:1280']), duration: z.number().int().min(2).max(10), seed }),
    z.strictObject({ model: z.enum(['veo3.1', 'veo3.1_fast']), ...veoFields }),
    z.strictObject({ model: z.literal('seedance2'), promptText, ...seedanceFields, references: z.array(z.strictObject({ uri: httpsOrDataUri })).optional() }),
  ]),
  image_to_video: z.discriminatedUnion('model', [
    z.strictObject({ model: z.literal('gen4.5'), promptImage, promptText, ratio: gen4Ratios, duration: z.number().int().min(2).max(10), seed }),
    z.strictObject({ model: z.literal('gen4_turbo'), promptImage, promptText: promptText.optional(), ratio: gen4Ratios, duration: z.number().int().min(2).max(10).optional(), seed }),
    z.strictObject({ model: z.enum(['veo3.1', 'veo3.1_fast']), promptImage, ...veoFields, promptText: promptText.optional() }),
    z.strictObject({ model: z.literal('seedance2'), promptImage, promptText: promptText.optional(), ...seedanceFields }),
  ]),
  video_to_video: z.strictObject({
    model: z.literal('aleph2'),
    videoUri: httpsOrDataUri,
    promptText: promptText.optional(),
    seed,
    keyframes: z.array(keyframe).max(5).optional(),
    targetAspectRatio: z.enum(['16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16', '21:9']).optional(),
    outputFormat: z.enum(['mp4', 'prores', 'png_sequence', 'sdr_rec709_10bit']).optional(),
    contentModeration: z.object({ publicFigureThreshold: z.enum(['auto', 'low']) }).optional(),
  }),
  text_to_image: z.strictObject({
    model: z.enum(['gen4_image', 'gen4_image_turbo']),
    promptText,
    ratio: imageRatios,
    seed,
    referenceImages: z.array(z.object({ uri: httpsOrDataUri, tag: z.string().optional() })).optional(),
  }),
  text_to_speech: z.discriminatedUnion('model', [
    z.strictObject({ model: z.literal('eleven_multilingual_v2'), promptText, voice: presetVoice }),
    z.strictObject({
      model: z.literal('eleven_v3'),
      promptText: z.string().min(1),
      voice: presetVoice,
      applyTextNormalization: z.enum(['auto', 'on', 'off']).optional(),
      languageCode: z.string().optional(),
      seed,
      similarityBoost: unitInterval,
      speed: z.number().min(0.7).max(1.2).optional(),
      stability: unitInterval,
      style: unitInterval,
      useSpeakerBoost: z.boolean().optional(),
    }),
    z.strictObject({ model: z.literal('seed_audio'), ...seedAudioFields, voice: z.strictObject({ type: z.literal('reference-audio'), audioUri: httpsOrDataUri }).optional() }),
  ]),
  sound_effect: z.discriminatedUnion('model', [
    z.strictObject({ model: z.literal('eleven_text_to_sound_v2'), promptText, duration: z.number().min(0.5).max(30).optional(), loop: z.boolean().optional() }),
    z.strictObject({ model: z.literal('seed_audio'), ...seedAudioFields, referenceAudios: z.array(httpsOrDataUri).max(3).optional() }),
  ]),
  voice_isolation: z.strictObject({ model: z.literal('eleven_voice_isolation'), audioUri: httpsOrDataUri }),
  voice_dubbing: z.strictObject({
    model: z.literal('eleven_voice_dubbing'),
    audioUri: httpsOrDataUri,
    targetLang: z.enum(['en', 'hi', 'pt', 'zh', 'es', 'fr', 'de', 'ja', 'ar', 'ru', 'ko', 'id', 'it', 'nl', 'tr', 'pl', 'sv', 'fil', 'ms', 'ro', 'uk', 'el', 'cs', 'da', 'fi', 'bg', 'hr', 'sk', 'ta']),
    disableVoiceCloning: z.boolean().optional(),
    dropBackgroundAudio: z.boolean().optional(),
    numSpeakers: z.number().int().min(1).optional(),
  }),
  speech_to_speech: z.strictObject({
    model: z.literal('eleven_multilingual_sts_v2'),
    media: z.strictObject({ type: z.enum(['audio', 'video']), uri: httpsOrDataUri }),
    voice: presetVoice,
    removeBackgroundNoise: z.boolean().optional(),
  }),
};

const outputKind: Record<string, 'mp4' | 'png' | 'wav'> = {
  text_to_video: 'mp4',
  image_to_video: 'mp4',
  video_to_video: 'mp4',
  text_to_image: 'png',
  text_to_speech: 'wav',
  sound_effect: 'wav',
  voice_isolation: 'wav',
  voice_dubbing: 'wav',
  speech_to_speech: 'wav',
};
/** Runway credits per task in the fake: enough to tell a reported final cost apart. */
export const fakeTaskCostCredits = 20;

/** Every runway:// URI anywhere in a body. */
function uploadUrisIn(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('runway://') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(uploadUrisIn);
  return value && typeof value === 'object' ? Object.values(value).flatMap(uploadUrisIn) : [];
}

export interface FakeRunwayOptions {
  apiKey: string;
  /** CometAPI serves Runway's API under /runwayml. */
  prefix?: string;
  /** CometAPI lag: answer "task not exist" to the first N polls of each task. */
  notFoundPolls?: number;
  /** Unscripted tasks walk through these steps (default PENDING → RUNNING(0.5) → SUCCEEDED). */
  defaultSteps?: TaskStep[];
  /** Keep every request for assertions (tests); benchmarks turn this off and read the counts. */
  recordRequests?: boolean;
  /** Unscripted tasks instead RUN for this long by the clock, then succeed (a slow upstream). */
  taskDurationMs?: number;
}

export async function startFakeRunway(options: FakeRunwayOptions) {
  const prefix = options.prefix ?? '';
  const tasks = new Map<string, FakeTask>();
  const scripts: TaskStep[][] = [];
  /** Tasks created and not yet seen finished (what Runway counts against a tier's concurrency), and the most there ever were. */
  const active = new Set<string>();
  let mostActive = 0;
  const finished = (id: string) => active.delete(id);

  const currentStep = (task: FakeTask): TaskStep => {
    if (task.cancelled) return { status: 'CANCELLED' };
    if (options.taskDurationMs !== undefined && task.steps.length === 0) {
      const elapsed = Date.now() - task.startedAt;
      return elapsed >= options.taskDurationMs ? { status: 'SUCCEEDED' } : { status: 'RUNNING', progress: Math.round((elapsed / options.taskDurationMs) * 100) / 100 };
    }
    return task.steps[Math.min(task.polls, task.steps.length - 1)]!;
  };

  const taskView = (task: FakeTask, origin: string) => {
    const step = currentStep(task);
    const base = { id: task.id, createdAt: task.createdAt, status: step.status };
    if (step.status === 'SUCCEEDED') return { ...base, output: [`${origin}/outputs/${task.id}.${outputKind[task.endpoint]}`], cost: { credits: fakeTaskCostCredits } };
    if (step.status === 'FAILED') return { ...base, failure: step.failure ?? 'The task failed', ...(step.failureCode ? { failureCode: step.failureCode } : {}), cost: { credits: 0 } };
    if (step.status === 'CANCELLED') return { ...base, cost: { credits: 0 } };
    if (step.status === 'RUNNING') return { ...base, progress: step.progress ?? 0.5, estimatedCost: { credits: fakeTaskCostCredits } };
    return { ...base, estimatedCost: { credits: fakeTaskCostCredits } };
  };

  /** `GET` and `DELETE /v1/tasks/{id}`; CometAPI's lag answers "task not exist" to the first polls. */
  function taskRoute(request: RecordedRequest, send: Send, taskId: string, origin: string) {
    const task = tasks.get(taskId);
    if (!task) return send(404, { error: 'Task not found' });
    if (request.method === 'DELETE') {
      task.cancelled = true;
      finished(task.id);
      return send(204);
    }
    if (task.polls < (options.notFoundPolls ?? 0) && !task.cancelled) {
      task.polls++;
      return send(404, { error: 'task not exist' });
    }
    const view = taskView(task, origin);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(view.status)) finished(task.id);
    task.polls++;
    send(200, view);
  }

  const account = fakeRunwayAccount();

  const server = await startFakeServer({
    recordRequests: options.recordRequests,
    handle(request, send, origin) {
      const storage = /^\/storage\/([^/]+)$/.exec(request.path.slice(prefix.length));
      if (storage && request.method === 'POST') return account.storage(request, send, storage[1]!);
      if (!request.path.startsWith(`${prefix}/v1/`)) return send(404, { error: 'Not found' });
      const route = request.path.slice(prefix.length);
      // A session's consume authenticates with its session key, not the API key.
      if (!route.endsWith('/consume') && request.headers.authorization !== `Bearer ${options.apiKey}`) return send(401, { error: 'Invalid API key' });
      if (request.headers['x-runway-version'] !== version) return send(400, { error: `X-Runway-Version must be ${version}` });
      if (account.handle(request, send, route, origin)) return;
      const taskMatch = /^\/v1\/tasks\/([^/]+)$/.exec(route);
      if (taskMatch && (request.method === 'GET' || request.method === 'DELETE')) return taskRoute(request, send, taskMatch[1]!, origin);
      if (route === '/v1/organization' && request.method === 'GET') return send(200, { creditBalance: 10_000, tier: { maxMonthlyCreditSpend: 10_000, models: {} }, usage: { models: {} } });
      const endpoint = /^\/v1\/([a-z_]+)$/.exec(route)?.[1];
      if (request.method === 'POST' && endpoint && bodies[endpoint]) {
        const parsed = bodies[endpoint]!.safeParse(request.body);
        if (!parsed.success) return send(400, { error: 'Validation of body failed', issues: parsed.error.issues });
        const unknownUpload = uploadUrisIn(request.body).find((uri) => !account.knowsUpload(uri));
        if (unknownUpload) return send(400, { error: `Unknown upload ${unknownUpload}` });
        const id = randomUUID();
        const defaultSteps: TaskStep[] = options.taskDurationMs !== undefined ? [] : (options.defaultSteps ?? [{ status: 'PENDING' }, { status: 'RUNNING', progress: 0.5 }, { status: 'SUCCEEDED' }]);
        active.add(id);
        mostActive = Math.max(mostActive, active.size);
        tasks.set(id, { id, endpoint, body: request.body, steps: scripts.shift() ?? defaultSteps, polls: 0, createdAt: new Date().toISOString(), cancelled: false, startedAt: Date.now() });
        return send(200, { id, estimatedCost: { credits: fakeTaskCostCredits } });
      }
      send(404, { error: 'Not found' });
    },
  });

  return {
    url: `${server.origin}${prefix}`,
    requests: server.requests,
    tasks,
    /** The next task created walks through these statuses, one per poll (the last one sticks). */
    script(steps: TaskStep[]) {
      scripts.push(steps);
    },
    /** The next matching request gets this answer instead (429 with Retry-After, 500, a slow answer…). */
    answerNext: server.answerNext,
    posts: () => server.requests.filter((request) => request.method === 'POST'),
    /** Uploads, avatars, documents and realtime sessions, as this server keeps them. */
    account,
    /** The most tasks that were ever running at once. */
    mostActive: () => mostActive,
    /** Requests per HTTP method (output downloads as OUTPUT), kept even when requests are not recorded. */
    count: server.count,
    close: server.close,
  };
}

export type FakeRunway = Awaited<ReturnType<typeof startFakeRunway>>;
