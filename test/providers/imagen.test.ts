import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, startFakeGemini } from '../fakes/fake-gemini.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { type ContractFailure, type ContractFake, describeConnectorContract } from './connector-contract.ts';

const statusFor: Record<number, string> = { 400: 'INVALID_ARGUMENT', 429: 'RESOURCE_EXHAUSTED', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE' };
const answerNextCall = (fake: FakeGemini, status: number, headers?: Record<string, string>) =>
  fake.answerNext({ method: 'POST', path: /:generateContent$/, status, headers, body: { error: { code: status, message: 'scripted', status: statusFor[status] ?? 'INTERNAL' } } });

function asContractFake(fake: FakeGemini): ContractFake & FakeGemini {
  return Object.assign(fake, {
    scriptSuccess: () => {},
    scriptRunning: () => {},
    answerNextSubmit: (status: number, headers?: Record<string, string>) => answerNextCall(fake, status, headers),
    answerNextPoll: (status: number) => answerNextCall(fake, status),
    submissions: () => fake.imageCalls(),
    cancellations: () => [],
  });
}

const imageFailures: ContractFailure<FakeGemini>[] = [
  { upstream: 'promptFeedback.blockReason', code: 'CONTENT_MODERATION', retryable: false, charged: false, script: (fake) => fake.scriptImages('blocked') },
  { upstream: 'finishReason IMAGE_SAFETY', code: 'CONTENT_MODERATION', retryable: false, charged: false, script: (fake) => fake.scriptImages('withheld') },
];

describeConnectorContract<ContractFake & FakeGemini>({
  provider: 'imagen',
  route: 'gemini',
  async start() {
    const fake = asContractFake(await startFakeGemini({ apiKey: 'gemini_image_contract' }));
    return { fake, settings: { GEMINI_API_KEY: 'gemini_image_contract', GEMINI_BASE_URL: fake.url } };
  },
  request: { type: 'IMAGE', input: {}, options: {} },
  output: { format: 'png', contentType: /^image\/png/ },
  failures: imageFailures,
  cancels: false,
  synchronous: true,
});

describe('the fake Gemini API image generation, driven by the official @google/genai SDK', () => {
  it('answers generateContent with an inline image', async () => {
    const fake = await startFakeGemini({ apiKey: 'gemini_image_sdk' });
    try {
      const ai = new GoogleGenAI({ apiKey: 'gemini_image_sdk', httpOptions: { baseUrl: fake.url } });
      const response = await ai.models.generateContent({
        model: 'gemini-3.1-flash-image-preview',
        contents: 'a robot reading',
        config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9' } },
      });
      const image = response.candidates?.[0]?.content?.parts?.find((part) => part.inlineData)?.inlineData;
      expect(image?.mimeType).toBe('image/png');
      expect(Buffer.from(image!.data!, 'base64').subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await fake.close();
    }
  });
});

describe('live imagen generations on the Gemini API', () => {
  let fake: FakeGemini;
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    fake = await startFakeGemini({ apiKey: 'gemini_image_live' });
    harness = await startTestGateway({ GEMINI_API_KEY: 'gemini_image_live', GEMINI_BASE_URL: fake.url, UPSTREAM_POLL_INTERVAL_MS: '20' });
    account = await harness.createAccount({ credits: 100_000 });
  });
  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  it('makes a stored PNG at the aspect asked for with a current model id, keeping the imagen id', async () => {
    const generation = await harness.runGeneration(account.liveKey, {
      provider: 'imagen',
      type: 'IMAGE',
      input: { text: 'a paper crane' },
      options: { aspectRatio: '16:9', model: 'gemini-3-pro-image-preview', imageSize: '2K' },
    });
    expect(generation).toMatchObject({ status: 'COMPLETED', provider: 'imagen', model: 'gemini-3-pro-image-preview', route: 'gemini', metadata: { format: 'png', width: 256, height: 144 } });
    expect(fake.imageCalls().at(-1)).toMatchObject({
      path: '/v1beta/models/gemini-3-pro-image-preview:generateContent',
      body: { contents: [{ parts: [{ text: 'a paper crane' }] }], generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9', imageSize: '2K' } } },
    });
  });

  it('sends an input image and references inline', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const generation = await harness.runGeneration(account.liveKey, {
      provider: 'imagen',
      type: 'IMAGE',
      input: { text: 'put a hat on it', image: `data:image/png;base64,${png}`, references: [`${fake.url}/outputs/style.png`] },
    });
    expect(generation.status).toBe('COMPLETED');
    const parts = fake.imageCalls().at(-1)!.body.contents[0].parts;
    expect(parts).toHaveLength(3);
    expect(parts[1]).toEqual({ inlineData: { mimeType: 'image/png', data: png } });
    expect(parts[2].inlineData.mimeType).toBe('image/png');
  });

  it('waits out a 429 RESOURCE_EXHAUSTED and completes', async () => {
    answerNextCall(fake, 429, { 'retry-after': '0' });
    const before = fake.imageCalls().length;
    expect((await harness.runGeneration(account.liveKey, { provider: 'imagen', type: 'IMAGE', input: { text: 'again' } })).status).toBe('COMPLETED');
    expect(fake.imageCalls().length - before).toBe(2);
  });
});
