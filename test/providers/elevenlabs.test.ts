import { ElevenLabsClient, ElevenLabsError } from '@elevenlabs/elevenlabs-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeElevenLabs, fakeVoices, startFakeElevenLabs } from '../fakes/fake-elevenlabs.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

const detailFor: Record<number, string> = { 400: 'invalid_request', 429: 'too_many_concurrent_requests', 502: 'system_busy', 503: 'system_busy' };
const answerNextCall = (fake: FakeElevenLabs, status: number, headers?: Record<string, string>, reason = detailFor[status] ?? 'internal') =>
  fake.answerNext({ method: 'POST', path: /^\/v1\//, status, headers, body: { detail: { status: reason, message: `scripted ${status}` } } });

function asContractFake(fake: FakeElevenLabs): ContractFake & FakeElevenLabs {
  return Object.assign(fake, {
    scriptSuccess: () => {},
    scriptRunning: () => {},
    answerNextSubmit: (status: number, headers?: Record<string, string>) => answerNextCall(fake, status, headers),
    answerNextPoll: (status: number) => answerNextCall(fake, status),
    submissions: () => fake.calls(),
    cancellations: () => [],
  });
}

/** ElevenLabs' error statuses (help centre: 400/401/429 articles). */
const elevenLabsFailures: ContractFailure<FakeElevenLabs>[] = [
  { upstream: 'voice_not_found', code: 'INVALID_INPUT', retryable: false, charged: false, script: (fake) => answerNextCall(fake, 400, undefined, 'voice_not_found') },
  { upstream: 'max_character_limit_exceeded', code: 'INVALID_INPUT', retryable: false, charged: false, script: (fake) => answerNextCall(fake, 400, undefined, 'max_character_limit_exceeded') },
  { upstream: 'quota_exceeded', code: 'PROVIDER_UNAVAILABLE', retryable: false, charged: false, script: (fake) => answerNextCall(fake, 401, undefined, 'quota_exceeded') },
];

describeConnectorContract<ContractFake & FakeElevenLabs>({
  provider: 'elevenlabs',
  async start() {
    const fake = asContractFake(await startFakeElevenLabs({ apiKey: 'xi_contract' }));
    return { fake, settings: { ELEVENLABS_API_KEY: 'xi_contract', ELEVENLABS_BASE_URL: fake.url } };
  },
  request: { type: 'AUDIO', input: {}, options: {} },
  output: { format: 'mp3', contentType: /^audio\/mpeg/ },
  failures: elevenLabsFailures,
  cancels: false,
  synchronous: true,
});

describe('the fake ElevenLabs API, driven by the official @elevenlabs/elevenlabs-js SDK', () => {
  it('answers text-to-speech and sound effects with audio, and refuses a bad key as the SDK expects', async () => {
    const fake = await startFakeElevenLabs({ apiKey: 'xi_sdk' });
    try {
      const client = new ElevenLabsClient({ apiKey: 'xi_sdk', baseUrl: fake.url, maxRetries: 0 });
      const speech = await new Response(await client.textToSpeech.convert(fakeVoices[0]!, { text: 'Hello there', modelId: 'eleven_multilingual_v2', outputFormat: 'mp3_44100_128' })).arrayBuffer();
      expect(Buffer.from(speech).subarray(0, 3).toString('hex')).toMatch(/^(494433|fffb|fff3)/);
      const sound = await new Response(await client.textToSoundEffects.convert({ text: 'a door creaks', durationSeconds: 2 })).arrayBuffer();
      expect(sound.byteLength).toBeGreaterThan(1000);
      await expect(new ElevenLabsClient({ apiKey: 'wrong', baseUrl: fake.url, maxRetries: 0 }).textToSpeech.convert(fakeVoices[0]!, { text: 'x' })).rejects.toBeInstanceOf(ElevenLabsError);
      expect(fake.calls()[0]!.headers['xi-api-key']).toBe('xi_sdk');
    } finally {
      await fake.close();
    }
  });
});

describe('live elevenlabs generations', () => {
  let fake: FakeElevenLabs;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;
  const run = (input: Record<string, unknown>) => harness.runGeneration(account.liveKey, { provider: 'elevenlabs', type: 'AUDIO', ...input });

  beforeAll(async () => {
    fake = await startFakeElevenLabs({ apiKey: 'xi_live' });
    harness = await startTestGateway({ ELEVENLABS_API_KEY: 'xi_live', ELEVENLABS_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('speech: a premade voice by name, emotion as voice settings, stored as MP3 with its real duration', async () => {
    const generation = await run({ input: { text: 'Welcome to the future', voice: 'Rachel' }, options: { emotion: 'excited', speed: 1.1, model: 'eleven_v3' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', route: 'elevenlabs', metadata: { format: 'mp3', contentType: 'audio/mpeg' } });
    expect(generation.metadata!.duration).toBeGreaterThan(0.9);
    const call = fake.calls().at(-1)!;
    expect(call.path).toBe('/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM');
    expect(call.query.get('output_format')).toBe('mp3_44100_128');
    expect(call.body).toEqual({ text: 'Welcome to the future', model_id: 'eleven_v3', voice_settings: { stability: 0.3, similarity_boost: 0.75, style: 0.6, speed: 1.1 } });
  });

  it('a sound effect with options.task, stored as audio', async () => {
    const generation = await run({ input: { text: 'thunder rolling over hills' }, options: { task: 'sound-effect', duration: 4, loop: true } });
    expect(generation.status).toBe('COMPLETED');
    expect(fake.calls().at(-1)).toMatchObject({
      path: '/v1/sound-generation',
      body: { text: 'thunder rolling over hills', model_id: 'eleven_text_to_sound_v2', duration_seconds: 4, loop: true, prompt_influence: 0.3 },
    });
  });

  it('raw PCM comes back as a playable WAV file', async () => {
    const generation = await run({ input: { text: 'pcm please' }, options: { outputFormat: 'pcm_44100' } });
    expect(generation).toMatchObject({ status: 'COMPLETED', metadata: { format: 'wav', contentType: 'audio/wav' } });
    expect(generation.metadata!.duration).toBeGreaterThan(0.9);
  });

  it('waits out too_many_concurrent_requests (429) and completes', async () => {
    answerNextCall(fake, 429, { 'retry-after': '0' });
    const before = fake.calls().length;
    expect((await run({ input: { text: 'busy' } })).status).toBe('COMPLETED');
    expect(fake.calls().length - before).toBe(2);
  });

  it('an unknown voice is INVALID_INPUT naming input.voice', async () => {
    const generation = await run({ input: { text: 'who am I', voice: 'no-such-voice' } });
    expect(generation.error).toMatchObject({ code: 'INVALID_INPUT', retryable: false, field: 'input.voice' });
    expect(generation.error!.message).toContain('voice_not_found');
  });

  it('the unknown voice reaches GraphQL clients as error { code: INVALID_INPUT, field: input.voice }', async () => {
    const generation = await run({ input: { text: 'who am I', voice: 'still-no-such-voice' } });
    const read = await harness.graphql({ key: account.liveKey, query: 'query ($id: ID!) { generation(id: $id) { error { code field } } }', variables: { id: generation.id } });
    expect(read.body.data.generation.error).toEqual({ code: 'INVALID_INPUT', field: 'input.voice' });
  });
});
