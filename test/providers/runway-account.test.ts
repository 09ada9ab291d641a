import RunwayML, { toFile } from '@runwayml/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paletteFor } from '../../src/media/palette.ts';
import { renderPng, renderWav } from '../../src/media/render-media.ts';
import { startFakeGemini } from '../fakes/fake-gemini.ts';
import { startFakeLuma } from '../fakes/fake-luma.ts';
import { type FakeRunway, startFakeRunway } from '../fakes/fake-runway.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** An account on `harness` with a PNG it uploaded through the SDK (Runway's ephemeral upload): the account, the PNG and its URI. */
async function uploadedPng(harness: TestGateway, credits: number, name: string) {
  const owner = await harness.createAccount({ credits });
  const client = new RunwayML({ apiKey: owner.liveKey, baseURL: `${await harness.listen()}/runway`, maxRetries: 0 });
  const png = Buffer.from(renderPng(80, 48, paletteFor(name, 1)));
  const { uri } = await client.uploads.createEphemeral({ file: await toFile(png, `${name}.png`) });
  return { owner, png, uri };
}

const wavDataUri = `data:audio/wav;base64,${Buffer.from(renderWav(1, paletteFor('voice', 1))).toString('base64')}`;

describe("the fake Runway's audio, upload and account endpoints, driven by the official @runwayml/sdk", () => {
  let fake: FakeRunway;
  let client: RunwayML;
  beforeAll(async () => {
    fake = await startFakeRunway({ apiKey: 'key_sdk_account', defaultSteps: [{ status: 'SUCCEEDED' }] });
    client = new RunwayML({ apiKey: 'key_sdk_account', baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.close());

  it('accepts each audio endpoint as the SDK sends it and refuses a language voice_dubbing does not know', async () => {
    const created = await Promise.all([
      client.textToSpeech.create({ model: 'eleven_v3', promptText: 'Hi', voice: { type: 'runway-preset', presetId: 'Maya' }, speed: 1.1 }),
      client.textToSpeech.create({ model: 'seed_audio', promptText: 'Hi', voice: { type: 'reference-audio', audioUri: wavDataUri } }),
      client.soundEffect.create({ model: 'seed_audio', promptText: 'Rain on @Audio1', referenceAudios: [wavDataUri] }),
      client.voiceIsolation.create({ model: 'eleven_voice_isolation', audioUri: wavDataUri }),
      client.voiceDubbing.create({ model: 'eleven_voice_dubbing', audioUri: wavDataUri, targetLang: 'fil', numSpeakers: 2 }),
      client.speechToSpeech.create({ model: 'eleven_multilingual_sts_v2', media: { type: 'video', uri: 'https://example.com/talk.mp4' }, voice: { type: 'runway-preset', presetId: 'Kirk' } }),
    ]);
    expect(created.every((task) => task.estimatedCost.credits > 0)).toBe(true);
    await expect(client.voiceDubbing.create({ model: 'eleven_voice_dubbing', audioUri: wavDataUri, targetLang: 'xx' as 'en' })).rejects.toBeInstanceOf(RunwayML.BadRequestError);
  });

  it('takes an ephemeral upload through its storage form, then accepts its runway:// URI and no other', async () => {
    const { uri } = await client.uploads.createEphemeral({ file: await toFile(Buffer.from(renderPng(64, 64, paletteFor('u', 1))), 'frame.png') });
    expect(uri).toMatch(/^runway:\/\//);
    await client.imageToVideo.create({ model: 'gen4_turbo', promptImage: uri, ratio: '1280:720' });
    await expect(client.imageToVideo.create({ model: 'gen4_turbo', promptImage: 'runway://never-uploaded/x.png', ratio: '1280:720' })).rejects.toBeInstanceOf(RunwayML.BadRequestError);
  });

  it('keeps avatars and documents, and walks a realtime session through a one-time consume', async () => {
    const document = await client.documents.create({ name: 'FAQ', content: 'Be kind.' });
    const avatar = await client.avatars.create({
      name: 'Ada',
      personality: 'Helpful.',
      referenceImage: 'https://example.com/a.png',
      voice: { type: 'runway-live-preset', presetId: 'luna' },
      documentIds: [document.id],
    });
    expect(avatar.status).toBe('PROCESSING');
    expect((await client.avatars.retrieve(avatar.id)).documentIds).toEqual([document.id]);
    const { id } = await client.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'custom', avatarId: avatar.id } });
    expect((await client.realtimeSessions.retrieve(id)).status).toBe('NOT_READY');
    const ready = await client.realtimeSessions.retrieve(id);
    if (ready.status !== 'READY') throw new Error(`expected READY, got ${ready.status}`);
    const credentials = await client.post(`/v1/realtime_sessions/${id}/consume`, { headers: { Authorization: `Bearer ${ready.sessionKey}` } });
    expect(credentials).toMatchObject({ url: expect.stringMatching(/^wss:/), roomName: expect.any(String), token: expect.any(String) });
    await client.documents.delete(document.id);
    await expect(client.documents.retrieve(document.id)).rejects.toBeInstanceOf(RunwayML.NotFoundError);
  });
});

describe('live Runway through genway, against the fake Runway', () => {
  let fake: FakeRunway;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  let baseUrl: string;

  beforeAll(async () => {
    fake = await startFakeRunway({ apiKey: 'key_live_account' });
    harness = await startTestGateway({ RUNWAY_API_KEY: 'key_live_account', RUNWAY_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '30' });
    baseUrl = `${await harness.listen()}/runway`;
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  const audioCases = [
    [
      'speech',
      { input: { text: 'Hello there', voice: 'leslie' } },
      '/v1/text_to_speech',
      { model: 'eleven_multilingual_v2', promptText: 'Hello there', voice: { type: 'runway-preset', presetId: 'Leslie' } },
    ],
    ['sound-effect', { input: { text: 'Thunder' }, options: { task: 'sound-effect', duration: 3 } }, '/v1/sound_effect', { model: 'eleven_text_to_sound_v2', promptText: 'Thunder', duration: 3 }],
    [
      'voice-isolation',
      { input: { audio: 'https://example.com/noisy.mp3' }, options: { task: 'voice-isolation' } },
      '/v1/voice_isolation',
      { model: 'eleven_voice_isolation', audioUri: 'https://example.com/noisy.mp3' },
    ],
    [
      'dubbing',
      { input: { audio: 'https://example.com/talk.mp3' }, options: { task: 'dubbing', targetLanguage: 'de' } },
      '/v1/voice_dubbing',
      { model: 'eleven_voice_dubbing', audioUri: 'https://example.com/talk.mp3', targetLang: 'de' },
    ],
    [
      'speech-to-speech',
      { input: { audio: 'https://example.com/me.mp3', voice: 'Noah' }, options: { task: 'speech-to-speech' } },
      '/v1/speech_to_speech',
      { model: 'eleven_multilingual_sts_v2', media: { type: 'audio', uri: 'https://example.com/me.mp3' }, voice: { type: 'runway-preset', presetId: 'Noah' } },
    ],
  ] as const;

  it.concurrent.each(audioCases)('%s completes through generate with a live key, sending Runway its documented body', async (_task, request, path, body) => {
    const generation = await harness.runGeneration(account.liveKey, { provider: 'runway', type: 'AUDIO', ...request });
    expect(generation.status, JSON.stringify(generation.error)).toBe('COMPLETED');
    expect(generation.route).toBe('runway');
    const sent = fake.posts().find((post) => post.path === path && JSON.stringify(post.body) === JSON.stringify(body));
    expect(sent, `${path} ${JSON.stringify(body)}`).toBeDefined();
    const stored = await harness.download(generation.outputs[0]!);
    expect(stored.contentType).toBe('audio/wav');
  });

  it('runs a model added since the last catalog (seedance2) with its own pixel ratio, through generate', async () => {
    const generation = await harness.runGeneration(account.liveKey, {
      provider: 'runway',
      type: 'VIDEO',
      input: { text: 'Waves at dusk' },
      options: { model: 'seedance2', aspectRatio: '1:1', duration: 6, audio: false },
    });
    expect(generation.status, JSON.stringify(generation.error)).toBe('COMPLETED');
    const sent = fake.posts().find((post) => post.path === '/v1/text_to_video' && post.body.model === 'seedance2');
    expect(sent?.body).toEqual({ model: 'seedance2', promptText: 'Waves at dusk', ratio: '960:960', duration: 6, audio: false });
  });

  /** What `generate` answers a Runway request with, when it refuses it. */
  const refusalOf = async (request: Record<string, unknown>) => {
    const posts = fake.posts().length;
    const answer = await harness.graphql({
      key: account.liveKey,
      query: 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }',
      variables: { input: { provider: 'runway', ...request } },
    });
    expect(fake.posts().length, 'nothing reached Runway').toBe(posts);
    return answer.body.errors?.[0]?.extensions;
  };

  it('refuses a model for the wrong kind of output, naming the field', async () => {
    expect(await refusalOf({ type: 'VIDEO', input: { text: 'x' }, options: { model: 'gpt_image_2' } })).toMatchObject({ code: 'INVALID_INPUT', field: 'options.model' });
  });

  it('refuses dubbing without a target language before calling Runway, naming the field', async () => {
    expect(await refusalOf({ type: 'AUDIO', input: { audio: 'https://example.com/a.mp3' }, options: { task: 'dubbing' } })).toMatchObject({ code: 'INVALID_INPUT', field: 'options.targetLanguage' });
  });

  it("uploads a genway upload to Runway's own storage and passes Runway's URI in the task", async () => {
    const client = new RunwayML({ apiKey: account.liveKey, baseURL: baseUrl, maxRetries: 0 });
    const png = Buffer.from(renderPng(96, 64, paletteFor('live upload', 1)));
    const { uri } = await client.uploads.createEphemeral({ file: await toFile(png, 'frame.png') });
    const generation = await harness.runGeneration(account.liveKey, { provider: 'runway', type: 'VIDEO', input: { text: 'It waves', image: uri } });
    expect(generation.status, JSON.stringify(generation.error)).toBe('COMPLETED');
    const stored = [...fake.account.uploads.values()].find((upload) => upload.file?.size === png.length);
    expect(stored?.file).toMatchObject({ type: 'image/png' });
    const task = fake.posts().find((post) => post.path === '/v1/image_to_video' && post.body.promptImage === stored!.runwayUri);
    expect(task).toBeDefined();
  });

  it('reserves credits for a live realtime session, settles them by its length once it ends, and reports them as gwm1_avatars usage', async () => {
    const payer = await harness.createAccount({ credits: 10_000 });
    const client = new RunwayML({ apiKey: payer.liveKey, baseURL: baseUrl, maxRetries: 0 });
    const balance = async () => (await client.organization.retrieve()).creditBalance;
    const { id } = await client.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'runway-preset', presetId: 'tennis-coach' }, maxDuration: 120 });
    const reserved = 10_000 - (await balance());
    expect(reserved).toBeGreaterThan(0);
    await client.realtimeSessions.retrieve(id);
    const ready = await client.realtimeSessions.retrieve(id);
    if (ready.status !== 'READY') throw new Error(`expected READY, got ${ready.status}`);
    await client.post(`/v1/realtime_sessions/${id}/consume`, { headers: { Authorization: `Bearer ${ready.sessionKey}` } });
    expect((await client.realtimeSessions.retrieve(id)).status).toBe('RUNNING');
    expect(await client.realtimeSessions.retrieve(id)).toMatchObject({ status: 'COMPLETED', duration: 42 });
    await client.realtimeSessions.retrieve(id);
    const charged = 10_000 - (await balance());
    expect(charged).toBeGreaterThan(0);
    expect(charged).toBeLessThan(reserved);
    const usage = await client.organization.retrieveUsage({});
    expect(usage.results.flatMap((day) => day.usedCredits)).toEqual([{ model: 'gwm1_avatars', amount: charged }]);
    const today = new Date().toISOString().slice(0, 10);
    const conversations = await client.avatars.getUsage({ startDate: `${today}T00:00:00Z`, endDate: new Date(Date.now() + 24 * 60 * 60_000).toISOString() });
    expect(conversations).toMatchObject({ totalSeconds: 42, totalSessions: 1, avgDurationSeconds: 42 });
  });

  it('refuses a live realtime session the account cannot pay for, and ends it at Runway', async () => {
    const broke = await harness.createAccount({ credits: 0 });
    const client = new RunwayML({ apiKey: broke.liveKey, baseURL: baseUrl, maxRetries: 0 });
    await expect(client.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'runway-preset', presetId: 'influencer' } })).rejects.toMatchObject({ status: 402 });
    expect([...fake.account.sessions.values()].at(-1)!.cancelled).toBe(true);
  });

  it('gives an upload to an upstream that fetches URLs (Luma) as a link only that file answers to', async () => {
    const luma = await startFakeLuma({ apiKey: 'luma_uploads' });
    const both = await startTestGateway({ LUMA_API_KEY: 'luma_uploads', LUMA_BASE_URL: luma.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    try {
      const { owner, png, uri } = await uploadedPng(both, 10_000, 'still');
      const generation = await both.runGeneration(owner.liveKey, { provider: 'luma', type: 'VIDEO', input: { text: 'It comes alive', image: uri } });
      expect(generation.status, JSON.stringify(generation.error)).toBe('COMPLETED');
      const link = luma.creations().at(-1)!.body.keyframes.frame0.url as string;
      expect(link).toMatch(/^http:\/\/gateway\.test\/uploads\/upl_\w+\/\w+$/);
      const served = await both.download(link);
      expect(served.contentType).toBe('image/png');
      expect(served.bytes.equals(png)).toBe(true);
      expect((await both.download(link.replace(/\w$/, (last) => (last === 'a' ? 'b' : 'a')))).status).toBe(404);
    } finally {
      await both.close();
      await luma.close();
    }
  });

  it('proxies avatars, documents and realtime sessions to Runway per account; another account gets 404', async () => {
    const client = new RunwayML({ apiKey: account.liveKey, baseURL: baseUrl, maxRetries: 0 });
    const stranger = new RunwayML({ apiKey: (await harness.createAccount()).liveKey, baseURL: baseUrl, maxRetries: 0 });
    const document = await client.documents.create({ name: 'Policy', content: 'Refunds within 30 days.' });
    const avatar = await client.avatars.create({
      name: 'Max',
      personality: 'Cheerful.',
      referenceImage: 'https://example.com/max.png',
      voice: { type: 'runway-live-preset', presetId: 'max' },
      documentIds: [document.id],
    });
    expect(fake.account.avatars.has(avatar.id)).toBe(true);
    expect((await client.avatars.update(avatar.id, { name: 'Maxine' })).name).toBe('Maxine');
    const listed = [];
    for await (const each of client.avatars.list({ limit: 10 })) listed.push(each.id);
    expect(listed).toEqual([avatar.id]);
    const { id } = await client.realtimeSessions.create({ model: 'gwm1_avatars', avatar: { type: 'custom', avatarId: avatar.id } });
    await client.realtimeSessions.retrieve(id);
    const ready = await client.realtimeSessions.retrieve(id);
    if (ready.status !== 'READY') throw new Error(`expected READY, got ${ready.status}`);
    expect(await client.post(`/v1/realtime_sessions/${id}/consume`, { headers: { Authorization: `Bearer ${ready.sessionKey}` } })).toMatchObject({ roomName: `room-${id}` });
    // Each call starts only when awaited, so no refusal is left unobserved.
    for (const attempt of [
      () => stranger.avatars.retrieve(avatar.id),
      () => stranger.documents.retrieve(document.id),
      () => stranger.realtimeSessions.retrieve(id),
      () => stranger.documents.delete(document.id),
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(RunwayML.NotFoundError);
    }
    await client.avatars.delete(avatar.id);
    expect(fake.account.avatars.has(avatar.id)).toBe(false);
  });
});

describe('uploads given to an upstream that wants the bytes (Veo on the Gemini API)', () => {
  it('reads an upload, or a link with its own token, from the store; a link with a forged token is only a URL', async () => {
    const gemini = await startFakeGemini({ apiKey: 'gemini_uploads' });
    const harness = await startTestGateway({ GEMINI_API_KEY: 'gemini_uploads', GEMINI_BASE_URL: gemini.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    try {
      const { owner, png, uri } = await uploadedPng(harness, 100_000, 'first');
      const link = await harness.gateway.uploads.linkFor(uri.split('/').pop()!);
      const veo = (image: string) => harness.runGeneration(owner.liveKey, { provider: 'veo', type: 'VIDEO', input: { text: 'It blinks', image } });
      for (const image of [uri, link]) {
        expect((await veo(image)).status).toBe('COMPLETED');
        expect(gemini.creations().at(-1)!.body.instances[0].image).toEqual({ bytesBase64Encoded: png.toString('base64'), mimeType: 'image/png' });
      }
      const forged = await veo(link.replace(/\/[A-Za-z0-9]+$/, `/${'x'.repeat(32)}`));
      expect(forged).toMatchObject({ status: 'FAILED', error: { code: 'INVALID_INPUT' } });
    } finally {
      await harness.close();
      await gemini.close();
    }
  });
});
