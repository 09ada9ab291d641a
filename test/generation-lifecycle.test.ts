import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { createFile, type Movie } from 'mp4box';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const generateMutation = 'mutation ($input: GenerateInput!) { generate(input: $input) { id status provider model creditCost testMode estimatedTime } }';
const readQuery = 'query ($id: ID!) { generation(id: $id) { id status progress url outputs metadata error createdAt startedAt completedAt creditCost } }';

function readMp4(bytes: Buffer): Movie {
  const file = createFile();
  let movie: Movie | null = null;
  file.onReady = (ready: Movie) => (movie = ready);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer & { fileStart: number };
  buffer.fileStart = 0;
  file.appendBuffer(buffer);
  file.flush();
  if (!movie) throw new Error('not an MP4');
  return movie;
}

describe('a generation from request to stored file', () => {
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '1200' });
    account = await harness.createAccount({ credits: 10 });
  });
  afterAll(() => harness.close());

  async function generate(input: Record<string, unknown>, key = account.testKey) {
    const response = await harness.graphql({ key, query: generateMutation, variables: { input } });
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    return response.body.data.generate as { id: string; status: string; provider: string; creditCost: number; testMode: boolean; model: string };
  }

  async function read(id: string, key = account.testKey) {
    return (await harness.graphql({ key, query: readQuery, variables: { id } })).body.data.generation;
  }

  it('goes QUEUED → PROCESSING (with progress) → COMPLETED, and its url serves an H.264 MP4 that matches its metadata', async () => {
    const created = await generate({ type: 'VIDEO', provider: 'runway', input: { text: 'A serene landscape' }, options: { duration: 5, aspectRatio: '16:9' } });
    expect(created).toMatchObject({ status: 'QUEUED', provider: 'runway', testMode: true });
    await harness.waitForStatus(created.id, ['PROCESSING']);
    const processing = await read(created.id);
    expect(processing.progress).toBeGreaterThanOrEqual(0);
    expect(processing.progress).toBeLessThan(1);
    expect(processing.startedAt).not.toBeNull();
    await harness.waitForStatus(created.id, ['COMPLETED']);
    const done = await read(created.id);
    expect(done).toMatchObject({ status: 'COMPLETED', progress: 1, error: null, outputs: [done.url] });
    expect(done.url).toMatch(/^http:\/\/gateway\.test\/files\/gen_\w+\/0\.mp4$/);
    const file = await harness.download(done.url);
    expect(file.status).toBe(200);
    expect(file.contentType).toBe('video/mp4');
    const movie = readMp4(file.bytes);
    const video = movie.tracks.find((track) => track.video)!;
    expect(video.codec).toMatch(/^avc1\./);
    expect(movie.duration / movie.timescale).toBeCloseTo(5, 1);
    expect(done.metadata).toMatchObject({ format: 'mp4', width: video.video!.width, height: video.video!.height, duration: 5, sizeBytes: file.bytes.length, contentType: 'video/mp4' });
    expect(video.video!.width / video.video!.height).toBeCloseTo(16 / 9, 2);
    expect(Date.parse(done.completedAt)).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
  });

  it('makes images in exactly the pixel size or aspect ratio asked for', async () => {
    const cases: Array<[Record<string, unknown>, number, number]> = [
      [{ type: 'IMAGE', provider: 'sandbox', input: { text: 'exact' }, options: { aspectRatio: '1360:768' } }, 1360, 768],
      [{ type: 'IMAGE', provider: 'flux-ultra', input: { text: 'wide' }, options: { aspectRatio: '16:9' } }, 1024, 576],
      [{ type: 'IMAGE', provider: 'imagen', input: { text: 'square' } }, 1024, 1024],
      [{ type: 'IMAGE', provider: 'runway', input: { text: 'runway pixels' }, options: { aspectRatio: '1920:1080' } }, 1920, 1080],
    ];
    const created = await Promise.all(cases.map(([input]) => generate(input)));
    for (const [index, generation] of created.entries()) {
      await harness.waitForStatus(generation.id, ['COMPLETED']);
      const done = await read(generation.id);
      const png = PNG.sync.read((await harness.download(done.url)).bytes);
      expect([png.width, png.height]).toEqual([cases[index]![1], cases[index]![2]]);
      expect(done.metadata).toMatchObject({ format: 'png', width: png.width, height: png.height });
    }
  });

  it('makes playable audio and talking-avatar video', async () => {
    const audio = await generate({ type: 'AUDIO', provider: 'elevenlabs', input: { text: 'Welcome to the future of artificial intelligence' }, options: { voice: 'rachel' } });
    const avatar = await generate({ type: 'AVATAR', provider: 'heygen', input: { text: 'Hello, I am your assistant' }, options: { avatarId: 'kate', aspectRatio: '9:16' } });
    await harness.waitForStatus(audio.id, ['COMPLETED']);
    await harness.waitForStatus(avatar.id, ['COMPLETED']);
    const audioDone = await read(audio.id);
    const wav = new wavefile.WaveFile((await harness.download(audioDone.url)).bytes);
    const seconds = (wav.getSamples(false) as unknown as ArrayLike<number>).length / (wav.fmt as { sampleRate: number }).sampleRate;
    expect(audioDone.metadata).toMatchObject({ format: 'wav' });
    expect(audioDone.metadata.duration).toBeCloseTo(seconds, 2);
    const avatarDone = await read(avatar.id);
    const video = readMp4((await harness.download(avatarDone.url)).bytes).tracks.find((track) => track.video)!;
    expect(video.video!.height).toBeGreaterThan(video.video!.width);
  });

  it('is deterministic in prompt and seed', async () => {
    const request = (seed: number) => ({ type: 'IMAGE', provider: 'flux-dev', input: { text: 'same prompt' }, options: { seed } });
    const [first, second, other] = await Promise.all([generate(request(7)), generate(request(7)), generate(request(8))]);
    const digest = async (id: string) => {
      await harness.waitForStatus(id, ['COMPLETED']);
      return createHash('sha256')
        .update((await harness.download((await read(id)).url)).bytes)
        .digest('hex');
    };
    expect(await digest(first!.id)).toBe(await digest(second!.id));
    expect(await digest(other!.id)).not.toBe(await digest(first!.id));
  });

  it('charges live keys on the sandbox provider, refunds failures, and spends nothing for test keys', async () => {
    const balance = async () => (await harness.graphql({ key: account.liveKey, query: '{ account { credits } }' })).body.data.account.credits;
    const before = await balance();
    const paid = await generate({ type: 'VIDEO', provider: 'sandbox', input: { text: 'paid' }, options: { duration: 1 } }, account.liveKey);
    expect(paid.creditCost).toBe(2);
    expect(await balance()).toBe(before - 2);
    const failed = await generate({ type: 'IMAGE', provider: 'sandbox', input: { text: '[sandbox:fail]' } }, account.liveKey);
    expect(await balance()).toBe(before - 3);
    await harness.waitForStatus(paid.id, ['COMPLETED']);
    await harness.waitForStatus(failed.id, ['FAILED']);
    expect(await balance()).toBe(before - 2);
    await generate({ type: 'VIDEO', provider: 'runway', input: { text: 'free' } });
    expect(await balance()).toBe(before - 2);
  });

  it('cancels: status CANCELLED, the job stops, and a second cancel answers false', async () => {
    const slow = await generate({ type: 'VIDEO', provider: 'kling', input: { text: '[sandbox:slow] long one' } });
    await harness.waitForStatus(slow.id, ['PROCESSING']);
    const cancel = await harness.graphql({ key: account.testKey, query: 'mutation ($id: ID!) { cancelGeneration(id: $id) }', variables: { id: slow.id } });
    expect(cancel.body.data.cancelGeneration).toBe(true);
    expect((await read(slow.id)).status).toBe('CANCELLED');
    const again = await harness.graphql({ key: account.testKey, query: 'mutation ($id: ID!) { cancelGeneration(id: $id) }', variables: { id: slow.id } });
    expect(again.body.data.cancelGeneration).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await read(slow.id)).status).toBe('CANCELLED');
  });

  it('POSTs the seed webhook payload when the generation ends', async () => {
    const received: Array<{ headers: IncomingMessage['headers']; body: any }> = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: JSON.parse(body) });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    try {
      const created = await generate({ type: 'IMAGE', provider: 'flux-pro', input: { text: 'webhook me' }, webhookUrl: `http://127.0.0.1:${port}/hook` });
      await harness.waitForStatus(created.id, ['COMPLETED']);
      const deadline = Date.now() + 5000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).toHaveLength(1);
      expect(received[0]!.body).toMatchObject({ event: 'generation.completed', id: created.id, status: 'completed', service: 'flux-pro', metadata: { width: 1024, height: 1024 } });
      expect(received[0]!.body.url).toMatch(/\/files\/gen_/);
    } finally {
      receiver.close();
    }
  });
});

describe('cancelling before the provider starts', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
  });
  afterAll(() => harness.close());

  it('refunds the whole reservation', async () => {
    const account = await harness.createAccount({ credits: 10 });
    const created = await harness.graphql({ key: account.liveKey, query: generateMutation, variables: { input: { type: 'VIDEO', provider: 'sandbox', input: { text: 'never runs' } } } });
    const id = created.body.data.generate.id;
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(8);
    const cancel = await harness.graphql({ key: account.liveKey, query: 'mutation ($id: ID!) { cancelGeneration(id: $id) }', variables: { id } });
    expect(cancel.body.data.cancelGeneration).toBe(true);
    expect((await harness.gateway.accounts.get(account.accountId))!.credits).toBe(10);
  });
});
