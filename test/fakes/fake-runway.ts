import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { paletteFor } from '../../src/media/palette.ts';
import { renderMp4, renderPng, renderWav } from '../../src/media/render-media.ts';

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

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

interface ScriptedAnswer {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

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
const httpsOrDataUri = z
  .string()
  .max(2048 * 1024 * 16)
  .refine((value) => value.startsWith('https://') || value.startsWith('data:'), 'must be an HTTPS URL or a data URI');
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

const veoFields = {
  promptText,
  ratio: veoRatios,
  duration: z.union([z.literal(4), z.literal(6), z.literal(8)]).optional(),
  seed,
  audio: z.boolean().optional(),
  negativePrompt: z.string().optional(),
};
const keyframe = z.union([z.strictObject({ seconds: z.number().min(0), uri: httpsOrDataUri }), z.strictObject({ at: z.number().min(0).max(1), uri: httpsOrDataUri })]);

/** Request bodies of SDK 4.20.1 (gen3a_turbo, gen4_aleph and veo3 are gone from it). */
const bodies: Record<string, z.ZodType> = {
  text_to_video: z.discriminatedUnion('model', [
    z.strictObject({ model: z.literal('gen4.5'), promptText, ratio: z.enum(['1280:720', '720:1280']), duration: z.number().int().min(2).max(10), seed }),
    z.strictObject({ model: z.enum(['veo3.1', 'veo3.1_fast']), ...veoFields }),
  ]),
  image_to_video: z.discriminatedUnion('model', [
    z.strictObject({ model: z.literal('gen4.5'), promptImage, promptText, ratio: gen4Ratios, duration: z.number().int().min(2).max(10), seed }),
    z.strictObject({ model: z.literal('gen4_turbo'), promptImage, promptText: promptText.optional(), ratio: gen4Ratios, duration: z.number().int().min(2).max(10).optional(), seed }),
    z.strictObject({ model: z.enum(['veo3.1', 'veo3.1_fast']), promptImage, ...veoFields, promptText: promptText.optional() }),
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
  text_to_speech: z.strictObject({ model: z.literal('eleven_multilingual_v2'), promptText, voice: z.strictObject({ type: z.literal('runway-preset'), presetId: z.enum(presets) }) }),
  sound_effect: z.strictObject({ model: z.literal('eleven_text_to_sound_v2'), promptText, duration: z.number().min(0.5).max(30).optional(), loop: z.boolean().optional() }),
};

const outputKind: Record<string, 'mp4' | 'png' | 'wav'> = { text_to_video: 'mp4', image_to_video: 'mp4', video_to_video: 'mp4', text_to_image: 'png', text_to_speech: 'wav', sound_effect: 'wav' };
const contentTypes = { mp4: 'video/mp4', png: 'image/png', wav: 'audio/wav' };
/** Runway credits per task in the fake: enough to tell a reported final cost apart. */
export const fakeTaskCostCredits = 20;

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
  const requests: RecordedRequest[] = [];
  const tasks = new Map<string, FakeTask>();
  const scripts: TaskStep[][] = [];
  const answers: ScriptedAnswer[] = [];
  const media = new Map<string, Promise<Uint8Array>>();
  const counts = new Map<string, number>();
  let origin = '';

  const send = (response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const currentStep = (task: FakeTask): TaskStep => {
    if (task.cancelled) return { status: 'CANCELLED' };
    if (options.taskDurationMs !== undefined && task.steps.length === 0) {
      const elapsed = Date.now() - task.startedAt;
      return elapsed >= options.taskDurationMs ? { status: 'SUCCEEDED' } : { status: 'RUNNING', progress: Math.round((elapsed / options.taskDurationMs) * 100) / 100 };
    }
    return task.steps[Math.min(task.polls, task.steps.length - 1)]!;
  };

  const taskView = (task: FakeTask) => {
    const step = currentStep(task);
    const base = { id: task.id, createdAt: task.createdAt, status: step.status };
    if (step.status === 'SUCCEEDED') return { ...base, output: [`${origin}/outputs/${task.id}.${outputKind[task.endpoint]}`], cost: { credits: fakeTaskCostCredits } };
    if (step.status === 'FAILED') return { ...base, failure: step.failure ?? 'The task failed', ...(step.failureCode ? { failureCode: step.failureCode } : {}), cost: { credits: 0 } };
    if (step.status === 'CANCELLED') return { ...base, cost: { credits: 0 } };
    if (step.status === 'RUNNING') return { ...base, progress: step.progress ?? 0.5, estimatedCost: { credits: fakeTaskCostCredits } };
    return { ...base, estimatedCost: { credits: fakeTaskCostCredits } };
  };

  /** One real file per kind, made once: every task of that kind serves the same bytes. */
  const renderOutput = (file: string): Promise<Uint8Array> => {
    const kind = file.split('.').pop() as 'mp4' | 'png' | 'wav';
    if (!media.has(kind)) {
      const palette = paletteFor(kind, 1);
      media.set(kind, kind === 'mp4' ? renderMp4(320, 180, 1, palette) : Promise.resolve(kind === 'png' ? renderPng(64, 64, palette) : renderWav(1, palette)));
    }
    return media.get(kind)!;
  };

  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', async () => {
      const path = (request.url ?? '/').split('?')[0]!;
      let body: any = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        return send(response, 400, { error: 'Invalid JSON body' });
      }
      if (options.recordRequests !== false) requests.push({ at: Date.now(), method: request.method ?? 'GET', path, headers: request.headers, body });
      counts.set(request.method ?? 'GET', (counts.get(request.method ?? 'GET') ?? 0) + 1);

      const scripted = answers.findIndex((answer) => answer.method === request.method && answer.path.test(path));
      if (scripted >= 0) {
        const [answer] = answers.splice(scripted, 1);
        if (answer!.delayMs) await new Promise((resolve) => setTimeout(resolve, answer!.delayMs));
        return send(response, answer!.status, answer!.body ?? { error: `scripted ${answer!.status}` }, answer!.headers);
      }
      if (path.startsWith('/outputs/')) {
        counts.set('OUTPUT', (counts.get('OUTPUT') ?? 0) + 1);
        const file = path.slice('/outputs/'.length);
        const bytes = await renderOutput(file);
        response.writeHead(200, { 'content-type': contentTypes[file.split('.').pop() as keyof typeof contentTypes], 'content-length': String(bytes.byteLength) });
        return response.end(bytes);
      }

      if (!path.startsWith(`${prefix}/v1/`)) return send(response, 404, { error: 'Not found' });
      if (request.headers.authorization !== `Bearer ${options.apiKey}`) return send(response, 401, { error: 'Invalid API key' });
      if (request.headers['x-runway-version'] !== version) return send(response, 400, { error: `X-Runway-Version must be ${version}` });
      const route = path.slice(prefix.length);

      const taskMatch = /^\/v1\/tasks\/([^/]+)$/.exec(route);
      if (taskMatch) {
        const task = tasks.get(taskMatch[1]!);
        if (request.method === 'GET') {
          if (!task) return send(response, 404, { error: 'Task not found' });
          if (task.polls < (options.notFoundPolls ?? 0) && !task.cancelled) {
            task.polls++;
            return send(response, 404, { error: 'task not exist' });
          }
          const view = taskView(task);
          task.polls++;
          return send(response, 200, view);
        }
        if (request.method === 'DELETE') {
          if (!task) return send(response, 404, { error: 'Task not found' });
          task.cancelled = true;
          return send(response, 204);
        }
      }
      if (route === '/v1/organization' && request.method === 'GET') return send(response, 200, { creditBalance: 10_000, tier: { maxMonthlyCreditSpend: 10_000, models: {} }, usage: { models: {} } });

      const endpoint = /^\/v1\/([a-z_]+)$/.exec(route)?.[1];
      if (request.method === 'POST' && endpoint && bodies[endpoint]) {
        const parsed = bodies[endpoint]!.safeParse(body);
        if (!parsed.success) return send(response, 400, { error: 'Validation of body failed', issues: parsed.error.issues });
        const id = randomUUID();
        const defaultSteps: TaskStep[] = options.taskDurationMs !== undefined ? [] : (options.defaultSteps ?? [{ status: 'PENDING' }, { status: 'RUNNING', progress: 0.5 }, { status: 'SUCCEEDED' }]);
        tasks.set(id, { id, endpoint, body, steps: scripts.shift() ?? defaultSteps, polls: 0, createdAt: new Date().toISOString(), cancelled: false, startedAt: Date.now() });
        return send(response, 200, { id, estimatedCost: { credits: fakeTaskCostCredits } });
      }
      send(response, 404, { error: 'Not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}${prefix}`,
    requests,
    tasks,
    /** The next task created walks through these statuses, one per poll (the last one sticks). */
    script(steps: TaskStep[]) {
      scripts.push(steps);
    },
    /** The next matching request gets this answer instead (429 with Retry-After, 500, a slow answer…). */
    answerNext(answer: ScriptedAnswer) {
      answers.push(answer);
    },
    posts: () => requests.filter((request) => request.method === 'POST'),
    /** Requests per HTTP method (output downloads as OUTPUT), kept even when requests are not recorded. */
    count: (method: string) => counts.get(method) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeRunway = Awaited<ReturnType<typeof startFakeRunway>>;
