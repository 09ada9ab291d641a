import RunwayML, { toFile } from '@runwayml/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paletteFor } from '../src/media/palette.ts';
import { renderPng, renderWav } from '../src/media/render-media.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';
import { waitUntil } from './support/wait-until.ts';

/** The official SDK against /runway with a test key: the sandbox answers every resource of Runway's API. */
describe("Runway's whole public API under /runway, driven by the official @runwayml/sdk with a test key", () => {
  let harness: TestGateway;
  let baseUrl: string;
  let client: RunwayML;
  let stranger: RunwayML;
  const sourceAudio = `data:audio/wav;base64,${Buffer.from(renderWav(2, paletteFor('source', 1))).toString('base64')}`;

  beforeAll(async () => {
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '200' });
    baseUrl = `${await harness.listen()}/runway`;
    client = new RunwayML({ apiKey: (await harness.createAccount()).testKey, baseURL: baseUrl, maxRetries: 0 });
    stranger = new RunwayML({ apiKey: (await harness.createAccount()).testKey, baseURL: baseUrl, maxRetries: 0 });
  });
  afterAll(() => harness.close());

  const audioTasks = [
    ['text_to_speech (eleven_multilingual_v2)', () => client.textToSpeech.create({ model: 'eleven_multilingual_v2', promptText: 'Hello there', voice: { type: 'runway-preset', presetId: 'Leslie' } })],
    ['text_to_speech (eleven_v3)', () => client.textToSpeech.create({ model: 'eleven_v3', promptText: '[whispers] Hello', voice: { type: 'runway-preset', presetId: 'Noah' }, seed: 7 })],
    ['sound_effect', () => client.soundEffect.create({ model: 'eleven_text_to_sound_v2', promptText: 'A door creaks open', duration: 2 })],
    ['voice_isolation', () => client.voiceIsolation.create({ model: 'eleven_voice_isolation', audioUri: sourceAudio })],
    ['voice_dubbing', () => client.voiceDubbing.create({ model: 'eleven_voice_dubbing', audioUri: sourceAudio, targetLang: 'es' })],
    ['speech_to_speech', () => client.speechToSpeech.create({ model: 'eleven_multilingual_sts_v2', media: { type: 'audio', uri: sourceAudio }, voice: { type: 'runway-preset', presetId: 'Maya' } })],
  ] as const;

  it.concurrent.each(audioTasks)('%s completes with real audio stored by the gateway', async (_name, create) => {
    const task = await create().waitForTaskOutput();
    expect(task.status).toBe('SUCCEEDED');
    const stored = await harness.download(task.output[0]!);
    expect(stored.contentType).toBe('audio/wav');
    expect(stored.bytes.subarray(0, 4).toString()).toBe('RIFF');
    expect(stored.bytes.subarray(8, 12).toString()).toBe('WAVE');
  });

  it("takes the SDK's newer models with their own ratios: seedance2 text-to-video and gpt_image_2 text-to-image", async () => {
    const [video, image] = await Promise.all([
      client.textToVideo.create({ model: 'seedance2', promptText: 'Waves at dusk', ratio: '960:960', duration: 6 }).waitForTaskOutput(),
      client.textToImage.create({ model: 'gpt_image_2', promptText: 'A lighthouse', ratio: '1280:1920' }).waitForTaskOutput(),
    ]);
    expect((await harness.gateway.repository.get(video.id))!).toMatchObject({ model: 'seedance2', metadata: { format: 'mp4', width: 640, height: 640 } });
    expect((await harness.gateway.repository.get(image.id))!).toMatchObject({ model: 'gpt_image_2', metadata: { format: 'png', width: 1280, height: 1920 } });
    await expect(client.textToVideo.create({ model: 'seedance2', promptText: 'x', ratio: '1104:832' as '960:960' })).rejects.toMatchObject({ status: 400, error: { field: 'options.aspectRatio' } });
  });

  it('refuses dubbing into a language Runway does not dub into, naming the field', async () => {
    const refused = client.voiceDubbing.create({ model: 'eleven_voice_dubbing', audioUri: sourceAudio, targetLang: 'xx' as 'es' });
    await expect(refused).rejects.toMatchObject({ status: 400, error: { code: 'INVALID_INPUT', field: 'options.targetLanguage' } });
  });

  it('uploads a file with uploads.createEphemeral, then animates it with imageToVideo by its runway:// URI', async () => {
    const png = renderPng(320, 180, paletteFor('upload', 1));
    const { uri } = await client.uploads.createEphemeral({ file: await toFile(Buffer.from(png), 'frame.png') });
    expect(uri).toMatch(/^runway:\/\/uploads\/upl_/);
    const task = await client.imageToVideo.create({ model: 'gen4_turbo', promptImage: uri, promptText: 'It moves', ratio: '1280:720', duration: 5 }).waitForTaskOutput();
    expect(task.status).toBe('SUCCEEDED');
    expect((await harness.gateway.repository.get(task.id))!.input.image).toBe(uri);
  });

  it("answers 404 for another account's upload used as an input", async () => {
    const { uri } = await client.uploads.createEphemeral({ file: await toFile(Buffer.from(renderPng(64, 64, paletteFor('mine', 1))), 'mine.png') });
    await expect(stranger.imageToVideo.create({ model: 'gen4_turbo', promptImage: uri, ratio: '1280:720', duration: 5 })).rejects.toBeInstanceOf(RunwayML.NotFoundError);
  });

  it('forgets an upload when it expires: its URI is 404 and the sweep deletes its file', async () => {
    const { uri } = await client.uploads.createEphemeral({ file: await toFile(Buffer.from(renderPng(64, 64, paletteFor('brief', 1))), 'brief.png') });
    const id = uri.split('/').pop()!;
    await harness.gateway.redis.pexpire(harness.gateway.keys.upload(id), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(client.imageToVideo.create({ model: 'gen4_turbo', promptImage: uri, ratio: '1280:720', duration: 5 })).rejects.toBeInstanceOf(RunwayML.NotFoundError);
    expect(await harness.gateway.uploads.sweep()).toBe(1);
  });

  it('refuses an upload that is not media, and a form used twice', async () => {
    const text = client.uploads.createEphemeral({ file: await toFile(Buffer.from('just some words, not a picture'), 'notes.png') });
    await expect(text).rejects.toMatchObject({ status: 400 });
    const form = (await client.post('/v1/uploads', { body: { filename: 'a.png', type: 'ephemeral' } })) as { uploadUrl: string; fields: Record<string, string> };
    const post = () => {
      const body = new FormData();
      for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
      body.append('file', new Blob([renderPng(64, 64, paletteFor('twice', 1))], { type: 'image/png' }), 'a.png');
      return fetch(form.uploadUrl, { method: 'POST', body });
    };
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(403);
  });

  it('creates, retrieves, updates, lists and deletes an avatar; it becomes READY after processing', async () => {
    const document = await client.documents.create({ name: 'FAQ', content: '# Returns\nThirty days.' });
    const avatar = await client.avatars.create({
      name: 'Ada',
      personality: 'You are a patient support agent.',
      referenceImage: 'https://example.com/ada.png',
      voice: { type: 'runway-live-preset', presetId: 'clara' },
      documentIds: [document.id],
    });
    expect(avatar).toMatchObject({ status: 'PROCESSING', name: 'Ada', documentIds: [document.id], voice: { type: 'runway-live-preset', presetId: 'clara' } });
    await waitUntil(async () => (await client.avatars.retrieve(avatar.id)).status === 'READY', 'the avatar is READY', 5000);
    const updated = await client.avatars.update(avatar.id, { name: 'Ada Lovelace', startScript: 'Hello!' });
    expect(updated).toMatchObject({ id: avatar.id, name: 'Ada Lovelace', startScript: 'Hello!' });
    expect((await client.documents.retrieve(document.id)).usedBy).toEqual([expect.objectContaining({ id: avatar.id, name: 'Ada Lovelace' })]);
    const listed = [];
    for await (const each of client.avatars.list({ limit: 1 })) listed.push(each.id);
    expect(listed).toContain(avatar.id);
    await client.avatars.delete(avatar.id);
    await expect(client.avatars.retrieve(avatar.id)).rejects.toBeInstanceOf(RunwayML.NotFoundError);
  });

  it('creates, retrieves, updates, lists and deletes a knowledge document', async () => {
    const created = await client.documents.create({ name: 'Hours', content: 'Open 9 to 5.' });
    expect(created).toMatchObject({ name: 'Hours', content: 'Open 9 to 5.', type: 'text', usedBy: [] });
    await client.documents.update(created.id, { content: 'Open 8 to 6.' });
    expect((await client.documents.retrieve(created.id)).content).toBe('Open 8 to 6.');
    const listed = [];
    for await (const each of client.documents.list({ order: 'desc', sort: 'updatedAt', limit: 10 })) listed.push(each.id);
    expect(listed[0]).toBe(created.id);
    await client.documents.delete(created.id);
    await expect(client.documents.retrieve(created.id)).rejects.toBeInstanceOf(RunwayML.NotFoundError);
  });

  it('walks a realtime session NOT_READY → READY → RUNNING → COMPLETED through a one-time consume', async () => {
    const { id } = await client.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'runway-preset', presetId: 'cooking-teacher' } });
    expect((await client.realtimeSessions.retrieve(id)).status).toBe('NOT_READY');
    let sessionKey = '';
    await waitUntil(async () => {
      const session = await client.realtimeSessions.retrieve(id);
      if (session.status === 'READY') sessionKey = session.sessionKey;
      return session.status === 'READY';
    }, 'the session is READY');
    const consume = () => client.post(`/v1/realtime_sessions/${id}/consume`, { headers: { Authorization: `Bearer ${sessionKey}` } }) as Promise<Record<string, string>>;
    const credentials = await consume();
    expect(credentials.url).toMatch(/^wss:\/\//);
    expect(credentials.roomName).toContain(id);
    expect(credentials.token!.split('.')).toHaveLength(3);
    expect((await client.realtimeSessions.retrieve(id)).status).toBe('RUNNING');
    await expect(consume()).rejects.toBeInstanceOf(RunwayML.AuthenticationError);
    await waitUntil(async () => (await client.realtimeSessions.retrieve(id)).status === 'COMPLETED', 'the session is COMPLETED');
    expect(await client.realtimeSessions.retrieve(id)).toMatchObject({ status: 'COMPLETED', duration: expect.any(Number) });
  });

  it("reports the account's avatar conversations per day with avatars.getUsage, refusing a range over 90 days", async () => {
    const own = new RunwayML({ apiKey: (await harness.createAccount()).testKey, baseURL: baseUrl, maxRetries: 0 });
    const talked = await own.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'runway-preset', presetId: 'tennis-coach' } });
    let sessionKey = '';
    await waitUntil(async () => {
      const session = await own.realtimeSessions.retrieve(talked.id);
      if (session.status === 'READY') sessionKey = session.sessionKey;
      return session.status === 'READY';
    }, 'the session is READY');
    await own.post(`/v1/realtime_sessions/${talked.id}/consume`, { headers: { Authorization: `Bearer ${sessionKey}` } });
    await waitUntil(async () => (await own.realtimeSessions.retrieve(talked.id)).status === 'COMPLETED', 'the session is COMPLETED');
    const abandoned = await own.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'runway-preset', presetId: 'influencer' } });
    await own.realtimeSessions.delete(abandoned.id);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 24 * 60 * 60_000).toISOString().slice(0, 10);
    expect(await own.avatars.getUsage({ startDate: `${today}T00:00:00.000Z`, endDate: `${tomorrow}T00:00:00.000Z` })).toEqual({
      totalSeconds: 1,
      totalSessions: 2,
      avgDurationSeconds: 1,
      byDay: [{ date: today, seconds: 1, sessions: 2 }],
    });
    await expect(own.avatars.getUsage({ startDate: '2026-01-01T00:00:00Z', endDate: '2026-06-01T00:00:00Z' })).rejects.toMatchObject({ status: 400 });
  });

  it('cancels a realtime session with delete', async () => {
    const { id } = await client.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'runway-preset', presetId: 'influencer' } });
    await client.realtimeSessions.delete(id);
    expect((await client.realtimeSessions.retrieve(id)).status).toBe('CANCELLED');
  });

  it("answers 404 for another account's avatar, document and session", async () => {
    const avatar = await client.avatars.create({ name: 'Mine', personality: 'Private.', referenceImage: 'https://example.com/me.png', voice: { type: 'runway-live-preset', presetId: 'max' } });
    const document = await client.documents.create({ name: 'Mine', content: 'Private.' });
    const session = await client.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'custom', avatarId: avatar.id } });
    // Each call starts only when awaited, so no refusal is left unobserved.
    for (const attempt of [
      () => stranger.avatars.retrieve(avatar.id),
      () => stranger.documents.retrieve(document.id),
      () => stranger.realtimeSessions.retrieve(session.id),
      () => stranger.avatars.delete(avatar.id),
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(RunwayML.NotFoundError);
    }
    await expect(stranger.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'custom', avatarId: avatar.id } })).rejects.toBeInstanceOf(RunwayML.NotFoundError);
  });

  it("reports the organization's balance and limits, and its credit usage per day and model from the ledger", async () => {
    const account = await harness.createAccount({ credits: 500 });
    await harness.gateway.runwayAccounts.setProvider(account.accountId, 'sandbox');
    const live = new RunwayML({ apiKey: account.liveKey, baseURL: baseUrl, maxRetries: 0 });
    const task = await live.textToImage.create({ model: 'gen4_image', promptText: 'A lighthouse', ratio: '1024:1024' }).waitForTaskOutput();
    const spent = (await harness.gateway.repository.get(task.id))!.creditCost;
    const organization = await live.organization.retrieve();
    expect(organization.creditBalance).toBe(500 - spent);
    expect(organization.tier.models['*']).toMatchObject({ maxConcurrentGenerations: 10 });
    const usage = await live.organization.retrieveUsage({});
    const today = new Date().toISOString().slice(0, 10);
    expect(usage.results).toEqual([{ date: today, usedCredits: [{ model: (await harness.gateway.repository.get(task.id))!.model, amount: spent }] }]);
    await expect(live.organization.retrieveUsage({ startDate: '2026-01-01', beforeDate: '2026-06-01' })).rejects.toMatchObject({ status: 400 });
  });

  it('reports THROTTLED for a task waiting for one of its account concurrency slots', async () => {
    const account = await harness.createAccount({ plan: 'free' });
    const limited = new RunwayML({ apiKey: account.testKey, baseURL: baseUrl, maxRetries: 0 });
    const first = await limited.textToImage.create({ model: 'gen4_image', promptText: '[sandbox:slow] first', ratio: '1024:1024' });
    await waitUntil(async () => (await limited.tasks.retrieve(first.id)).status === 'RUNNING', 'the first task runs');
    const second = await limited.textToImage.create({ model: 'gen4_image', promptText: 'second', ratio: '1024:1024' });
    await waitUntil(async () => (await limited.tasks.retrieve(second.id)).status === 'THROTTLED', 'the second task is THROTTLED');
    await limited.tasks.delete(first.id);
    await waitUntil(async () => (await limited.tasks.retrieve(second.id)).status !== 'THROTTLED', 'the second task leaves THROTTLED');
  });
});
