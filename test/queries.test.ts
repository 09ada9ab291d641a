import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationType } from '../src/generations/generation.ts';
import { builtInProviders } from '../src/providers/index.ts';
import type { ProviderDefinition } from '../src/providers/spec.ts';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const providersQuery =
  'query ($type: GenerationType) { providers(type: $type) { id name types models available pricing { creditCost estimatedTime } options { name type required description allowedValues default minimum maximum } } }';
const generateMutation = 'mutation ($input: GenerateInput!) { generate(input: $input) { id provider creditCost } }';

/** Sample media for the inputs a provider asks for (an image to animate, speech to lip-sync, a video's motion). */
const sampleMedia: Record<string, string> = { 'input.image': 'https://example.com/portrait.png', 'input.audio': 'https://example.com/speech.mp3', 'input.video': 'https://example.com/dance.mp4' };

/** A prompt, plus whatever media the provider's own checks ask for with these options. */
function inputFor(definition: ProviderDefinition, type: GenerationType, options: Record<string, unknown>): Record<string, string> {
  const input: Record<string, string> = { text: 'a prompt' };
  for (let attempt = 0; attempt < 3; attempt++) {
    const problem = definition.checkInput({ type, input, options: definition.optionsSchema.parse(options) });
    if (!problem || !sampleMedia[problem.field]) break;
    input[problem.field.slice('input.'.length)] = sampleMedia[problem.field]!;
  }
  return input;
}

describe('providers, generations and account queries', () => {
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
    account = await harness.createAccount();
  });
  afterAll(() => harness.close());

  it('lists every provider the seeds name, filtered by type, with options read from each schema', async () => {
    const all = (await harness.graphql({ key: account.testKey, query: providersQuery })).body.data.providers;
    expect(all.map((provider: { id: string }) => provider.id).sort()).toEqual(
      [
        'cometapi',
        'elevenlabs',
        'flux-dev',
        'flux-kontext',
        'flux-pro',
        'flux-ultra',
        'heygen',
        'imagen',
        'kling',
        'luma',
        'minimax',
        'runway',
        'sandbox',
        'veo',
        'seedance',
        'seedream',
        'omnihuman',
        'motion-transfer',
      ].sort(),
    );
    const video = (await harness.graphql({ key: account.testKey, query: providersQuery, variables: { type: 'VIDEO' } })).body.data.providers;
    expect(video.every((provider: { types: string[] }) => provider.types.includes('VIDEO'))).toBe(true);
    const runway = video.find((provider: { id: string }) => provider.id === 'runway');
    expect(runway.available).toBe(false);
    expect(runway.pricing.creditCost).toBeGreaterThan(0);
    expect(runway.options.find((option: { name: string }) => option.name === 'duration')).toMatchObject({ type: 'number', required: false, minimum: 0.5, maximum: 30 });
    expect(runway.options.find((option: { name: string }) => option.name === 'aspectRatio').allowedValues).toEqual(expect.arrayContaining(['16:9', '9:16', '1:1', '1280:720']));
    const heygen = all.find((provider: { id: string }) => provider.id === 'heygen');
    expect(heygen.options.find((option: { name: string }) => option.name === 'avatarId')).toMatchObject({ required: true, type: 'string' });
    expect(all.find((provider: { id: string }) => provider.id === 'sandbox').available).toBe(true);
  });

  for (const definition of builtInProviders.filter((provider) => provider.id !== 'sandbox')) {
    it(`${definition.id}: an unknown option and a bad value are INVALID_INPUT naming the option`, async () => {
      const type = definition.types[0]!;
      const defaults = definition.id === 'heygen' ? { avatarId: 'kate' } : {};
      const base = { type, provider: definition.id, input: inputFor(definition, type, defaults), options: defaults };
      const unknown = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input: { ...base, options: { ...base.options, notAnOption: 1 } } } });
      expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'options.notAnOption' });
      const listed = (await harness.graphql({ key: account.testKey, query: providersQuery })).body.data.providers.find((provider: { id: string }) => provider.id === definition.id);
      const enumerated = listed.options.find((option: { allowedValues: string[] | null }) => option.allowedValues);
      const badValue = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input: { ...base, options: { ...base.options, [enumerated.name]: 'not-allowed' } } } });
      expect(badValue.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: `options.${enumerated.name}` });
      const options = { ...base.options, [enumerated.name]: enumerated.allowedValues.at(-1) === 'true' ? true : enumerated.allowedValues.at(-1) };
      const input = inputFor(definition, type, options);
      const accepted = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input: { ...base, input, options } } });
      expect(accepted.body.errors, JSON.stringify(accepted.body.errors)).toBeUndefined();
    });
  }

  it('lists the voices of the providers that speak, and none for the others', async () => {
    const providers = (await harness.graphql({ key: account.testKey, query: '{ providers { id voices { id name } } }' })).body.data.providers;
    const voicesOf = (id: string) => providers.find((provider: { id: string }) => provider.id === id).voices;
    expect(voicesOf('elevenlabs')).toContainEqual({ id: '21m00Tcm4TlvDq8ikWAM', name: 'rachel' });
    expect(voicesOf('runway')).toHaveLength(49);
    expect(voicesOf('runway')).toContainEqual({ id: 'Maya', name: 'Maya' });
    expect(voicesOf('kling')).toEqual([]);
  });

  it('refuses a voice Runway does not have, naming input.voice', async () => {
    const refused = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input: { type: 'AUDIO', provider: 'runway', input: { text: 'hi', voice: 'nobody' } } } });
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'input.voice' });
  });

  it('picks a provider by priority among those that accept the request', async () => {
    const pick = async (input: Record<string, unknown>) => (await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input } })).body.data.generate;
    expect((await pick({ type: 'VIDEO', input: { text: 'x' }, priority: 'QUALITY' })).provider).toBe('veo');
    const cheapest = await pick({ type: 'IMAGE', input: { text: 'x' }, priority: 'COST' });
    const providers = (await harness.graphql({ key: account.testKey, query: providersQuery, variables: { type: 'IMAGE' } })).body.data.providers.filter(
      (provider: { id: string }) => provider.id !== 'sandbox',
    );
    expect(cheapest.creditCost).toBe(Math.min(...providers.map((provider: { pricing: { creditCost: number } }) => provider.pricing.creditCost)));
    expect((await pick({ type: 'VIDEO', input: { text: 'x' }, options: { duration: 10, resolution: '1080p', style: 'cinematic' } })).provider).toBe('minimax');
    expect((await pick({ type: 'AUDIO', input: { text: 'x' } })).provider).toBe('elevenlabs');
  });

  it("pages through the account's generations newest first, filtered by type", async () => {
    const fresh = await harness.createAccount();
    const ids: string[] = [];
    for (const type of ['IMAGE', 'AUDIO', 'IMAGE', 'IMAGE', 'VIDEO']) {
      const created = await harness.graphql({ key: fresh.testKey, query: generateMutation, variables: { input: { type, input: { text: `item ${ids.length}` } } } });
      ids.push(created.body.data.generate.id);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const page = async (after?: string) =>
      (
        await harness.graphql({
          key: fresh.testKey,
          query: 'query ($after: String) { generations(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }',
          variables: { after },
        })
      ).body.data.generations;
    const first = await page();
    const second = await page(first.pageInfo.endCursor);
    const third = await page(second.pageInfo.endCursor);
    expect([...first.nodes, ...second.nodes, ...third.nodes].map((node: { id: string }) => node.id)).toEqual([...ids].reverse());
    expect([first.pageInfo.hasNextPage, second.pageInfo.hasNextPage, third.pageInfo.hasNextPage]).toEqual([true, true, false]);
    const images = (await harness.graphql({ key: fresh.testKey, query: '{ generations(type: IMAGE) { edges { cursor node { id } } } }' })).body.data.generations.edges;
    expect(images.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([ids[3], ids[2], ids[0]]);
    const fullPage = await harness.graphql({
      key: fresh.testKey,
      query:
        '{ generations(first: 100) { edges { cursor node { id status type provider model url outputs progress metadata error errorCode creditCost estimatedTime testMode webhookUrl createdAt startedAt completedAt } } pageInfo { hasNextPage endCursor } } }',
    });
    expect(fullPage.body.errors, JSON.stringify(fullPage.body.errors)).toBeUndefined();
    const tooMany = await harness.graphql({ key: fresh.testKey, query: '{ generations(first: 101) { nodes { id } } }' });
    expect(tooMany.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'first' });
  });

  it('shows the account behind the key', async () => {
    const response = await harness.graphql({ key: account.liveKey, query: '{ account { id name plan credits testMode webhookSecretHint rateLimit } }' });
    expect(response.body.data.account).toMatchObject({ id: account.accountId, name: 'test', plan: 'pro', credits: 1000, testMode: false, webhookSecretHint: `${account.webhookSecret.slice(0, 10)}…` });
    expect(response.body.data.account.rateLimit).toMatchObject({ perMinute: 60, concurrent: 10, perDay: 10_000, running: 0, waiting: 0 });
  });
});
