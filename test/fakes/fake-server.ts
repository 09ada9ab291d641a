import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Mp3Encoder } from '@breezystack/lamejs';
import jpeg from 'jpeg-js';
import { paintFrame, paletteFor } from '../../src/media/palette.ts';
import { renderMp4, renderPng, renderWav } from '../../src/media/render-media.ts';

/**
 * What every vendor fake shares: a real HTTP server on loopback that records each request, answers scripted
 * overrides (429 with Retry-After, a 5xx, a slow answer) before the vendor logic, and serves real media
 * files under /outputs/. The vendor logic itself lives in each fake, written from that vendor's docs.
 */
export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface ScriptedAnswer {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type Send = (status: number, body?: unknown, headers?: Record<string, string>) => void;

export interface FakeServerOptions {
  /** The vendor's own logic; `origin` is where this server listens (for output URLs). */
  handle(request: RecordedRequest, send: Send, origin: string): void | Promise<void>;
  /** Keep every request for assertions (tests); benchmarks turn this off. */
  recordRequests?: boolean;
}

export type MediaKind = 'mp4' | 'png' | 'jpg' | 'wav' | 'mp3';
const contentTypes: Record<MediaKind, string> = { mp4: 'video/mp4', png: 'image/png', jpg: 'image/jpeg', wav: 'audio/wav', mp3: 'audio/mpeg' };

/** A real JPEG (vendors such as Black Forest Labs answer with JPEG by default). */
function renderJpeg(width: number, height: number, palette: ReturnType<typeof paletteFor>): Uint8Array {
  const pixels = Buffer.alloc(width * height * 4);
  paintFrame(pixels, width, height, palette, 0);
  return jpeg.encode({ data: pixels, width, height }, 85).data;
}

/** A real MP3 of a tone (speech APIs answer with MP3 by default), `seconds` long at 44.1 kHz. */
function renderMp3(seconds: number): Uint8Array {
  const rate = 44_100;
  const samples = Int16Array.from({ length: rate * seconds }, (_, index) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / rate)));
  const encoder = new Mp3Encoder(1, rate, 128);
  return Buffer.concat([encoder.encodeBuffer(samples), encoder.flush()].map((chunk) => Buffer.from(chunk)));
}

/** A real still image of this size, made once per kind and size. */
const stills = new Map<string, Uint8Array>();
export function renderImage(kind: 'png' | 'jpg', width: number, height: number): Uint8Array {
  const key = `${kind}:${width}x${height}`;
  if (!stills.has(key)) stills.set(key, kind === 'png' ? renderPng(width, height, paletteFor(key, 1)) : renderJpeg(width, height, paletteFor(key, 1)));
  return stills.get(key)!;
}

/** The size of an image at an aspect ratio such as 16:9, its long side `longSide` pixels. */
export function sizeForAspect(aspectRatio: string, longSide: number): { width: number; height: number } {
  const [width, height] = aspectRatio.split(':').map(Number) as [number, number];
  const scale = longSide / Math.max(width, height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** One real file per kind, made once per process. */
const media = new Map<MediaKind, Promise<Uint8Array>>();
export function renderOutput(kind: MediaKind): Promise<Uint8Array> {
  if (!media.has(kind)) {
    const palette = paletteFor(kind, 1);
    const still = { png: () => renderPng(64, 64, palette), jpg: () => renderJpeg(64, 48, palette), wav: () => renderWav(1, palette), mp3: () => renderMp3(1) };
    media.set(kind, kind === 'mp4' ? renderMp4(320, 180, 1, palette) : Promise.resolve(still[kind]()));
  }
  return media.get(kind)!;
}

const parseJson = (raw: string): unknown => (raw ? JSON.parse(raw) : null);

/** A multipart form as its text fields, and its files as name, type and size (what storage services check). */
async function formFields(bytes: Buffer, contentType: string): Promise<Record<string, unknown>> {
  const form = await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: bytes }).formData();
  return Object.fromEntries([...form.entries()].map(([name, value]) => [name, typeof value === 'string' ? value : { filename: value.name, type: value.type, size: value.size }]));
}

export async function startFakeServer(options: FakeServerOptions) {
  const requests: RecordedRequest[] = [];
  const answers: ScriptedAnswer[] = [];
  /** Requests per method (output downloads as OUTPUT), kept even when requests are not recorded. */
  const counts = new Map<string, number>();
  const countOne = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  let origin = '';

  const server = createServer((incoming, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const send: Send = (status, body, headers = {}) => {
        const isBytes = body instanceof Uint8Array;
        response.writeHead(status, { ...(body === undefined || isBytes ? {} : { 'content-type': 'application/json' }), ...headers });
        response.end(body === undefined ? undefined : isBytes ? body : JSON.stringify(body));
      };
      const url = new URL(incoming.url ?? '/', origin);
      const contentType = incoming.headers['content-type'] ?? '';
      let body: unknown = null;
      try {
        body = contentType.startsWith('multipart/form-data') ? await formFields(Buffer.concat(chunks), contentType) : parseJson(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { error: contentType.startsWith('multipart/') ? 'Invalid multipart body' : 'Invalid JSON body' });
      }
      const request: RecordedRequest = { at: Date.now(), method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, body };
      if (options.recordRequests !== false) requests.push(request);
      countOne(request.method);

      const scripted = answers.findIndex((answer) => answer.method === request.method && answer.path.test(request.path));
      if (scripted >= 0) {
        const [answer] = answers.splice(scripted, 1);
        if (answer!.delayMs) await new Promise((resolve) => setTimeout(resolve, answer!.delayMs));
        return send(answer!.status, answer!.body ?? { error: `scripted ${answer!.status}` }, answer!.headers);
      }
      const output = /^\/outputs\/[^/]+\.(mp4|png|jpg|wav|mp3)$/.exec(request.path);
      if (output) {
        countOne('OUTPUT');
        const kind = output[1] as MediaKind;
        const [width, height] = [Number(request.query.get('w')), Number(request.query.get('h'))];
        const sized = (kind === 'png' || kind === 'jpg') && width > 0 && height > 0;
        return send(200, sized ? renderImage(kind, width, height) : await renderOutput(kind), { 'content-type': contentTypes[kind] });
      }
      await options.handle(request, send, origin);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    requests,
    /** The next matching request gets this answer instead. */
    answerNext(answer: ScriptedAnswer) {
      answers.push(answer);
    },
    count: (method: string) => counts.get(method) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A task that walks through scripted steps, one per status poll; the last step sticks. */
export class ScriptedTasks<Step> {
  private readonly scripts: Step[][] = [];
  readonly tasks = new Map<string, { steps: Step[]; polls: number; cancelled: boolean; body: unknown }>();

  constructor(private readonly defaultSteps: () => Step[]) {}

  /** The next task created walks through these steps. */
  script(steps: Step[]) {
    this.scripts.push(steps);
  }

  create(id: string, body: unknown) {
    this.tasks.set(id, { steps: this.scripts.shift() ?? this.defaultSteps(), polls: 0, cancelled: false, body });
  }

  /** The task's step for this poll, counting the poll. */
  poll(id: string): Step | undefined {
    const task = this.tasks.get(id);
    if (!task) return undefined;
    const step = task.steps[Math.min(task.polls, task.steps.length - 1)]!;
    task.polls++;
    return step;
  }
}
