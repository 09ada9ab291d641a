import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/test-gateway.ts';

const generateMutation = 'mutation ($input: GenerateInput!) { generate(input: $input) { id status provider creditCost } }';

describe('every error reachable in the core answers with its code and HTTP status', () => {
  let harness: TestGateway;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    harness = await startTestGateway({ BODY_LIMIT_BYTES: '65536', NODE_ENV: 'production' });
    account = await harness.createAccount({ credits: 5 });
  });
  afterAll(() => harness.close());

  it('UNAUTHENTICATED (401) without a key, with a malformed one, and with an unknown one', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer gw_live_unknownunknownunknown000000' }, { 'x-api-key': 'nope' }];
    for (const headers of attempts) {
      const response = await harness.graphql({ query: '{ account { id } }', headers });
      expect(response.status).toBe(401);
      expect(response.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('accepts X-API-Key as well as Bearer', async () => {
    const response = await harness.graphql({ query: '{ account { id testMode } }', headers: { 'x-api-key': account.testKey } });
    expect(response.body.data.account).toEqual({ id: account.accountId, testMode: true });
  });

  it('INVALID_INPUT (400) naming the field for bad options, unknown providers, wrong types and bad URLs', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'VIDEO', provider: 'runway', input: { text: 'x' }, options: { duration: 99 } }, 'options.duration'],
      [{ type: 'VIDEO', provider: 'runway', input: { text: 'x' }, options: { aspectRatio: '7:5' } }, 'options.aspectRatio'],
      [{ type: 'VIDEO', provider: 'kling', input: { text: 'x' }, options: { colour: 'red' } }, 'options.colour'],
      [{ type: 'VIDEO', provider: 'nobody', input: { text: 'x' } }, 'provider'],
      [{ type: 'AUDIO', provider: 'kling', input: { text: 'x' } }, 'type'],
      [{ type: 'IMAGE', provider: 'flux-pro', input: {} }, 'input.text'],
      [{ type: 'VIDEO', provider: 'runway', input: { text: 'x', image: 'ftp://example.com/a.png' } }, 'input.image'],
      [{ type: 'VIDEO', provider: 'runway', input: { text: 'x'.repeat(1001) } }, 'input.text'],
      [{ type: 'IMAGE', input: { text: 'x' }, webhookUrl: 'not a url' }, 'webhookUrl'],
    ];
    for (const [input, field] of cases) {
      const response = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input } });
      expect(response.status, JSON.stringify(input)).toBe(400);
      expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field });
    }
  });

  it('INVALID_INPUT (400) for syntax errors, unknown fields, missing variables and batched requests', async () => {
    const syntax = await harness.graphql({ key: account.testKey, query: '{ generation(id: ' });
    const unknownField = await harness.graphql({ key: account.testKey, query: '{ nope }' });
    const missingVariable = await harness.graphql({ key: account.testKey, query: generateMutation });
    const batched = await harness.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.testKey}` },
      payload: JSON.stringify([{ query: '{ account { id } }' }, { query: '{ account { id } }' }]),
    });
    for (const response of [syntax, unknownField, missingVariable]) {
      expect(response.status).toBe(400);
      expect(response.body.errors![0]!.extensions.code).toBe('INVALID_INPUT');
    }
    expect(batched.statusCode).toBe(400);
    expect(batched.json().errors[0].extensions.code).toBe('INVALID_INPUT');
  });

  it('INVALID_INPUT (400) for documents with too many aliases or tokens, and for introspection in production', async () => {
    const aliases = Array.from({ length: 30 }, (_, index) => `a${index}: account { id }`).join(' ');
    const wide = await harness.graphql({ key: account.testKey, query: `{ ${aliases} }` });
    const introspection = await harness.graphql({ key: account.testKey, query: '{ __schema { types { name } } }' });
    const long = await harness.graphql({ key: account.testKey, query: `{ account { ${'id '.repeat(2500)} } }` });
    for (const response of [wide, introspection, long]) {
      expect(response.status).toBe(400);
      expect(response.body.errors![0]!.extensions.code).toBe('INVALID_INPUT');
    }
  });

  it('INVALID_INPUT (400) for a GET without a CSRF-safe header, and for a body that is not JSON', async () => {
    const get = await harness.app.inject({ method: 'GET', url: '/graphql?query=%7Baccount%7Bid%7D%7D', headers: { authorization: `Bearer ${account.testKey}` } });
    expect(get.statusCode).toBe(400);
    expect(get.json().errors[0].extensions.code).toBe('INVALID_INPUT');
    const safeGet = await harness.app.inject({
      method: 'GET',
      url: '/graphql?query=%7Baccount%7Bid%7D%7D',
      headers: { authorization: `Bearer ${account.testKey}`, 'apollo-require-preflight': 'true' },
    });
    expect(safeGet.json().data.account.id).toBe(account.accountId);
    const broken = await harness.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${account.testKey}` }, payload: '{"query": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].extensions.code).toBe('INVALID_INPUT');
  });

  it('PAYLOAD_TOO_LARGE (413) for an oversized body', async () => {
    const response = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input: { type: 'IMAGE', input: { text: 'x'.repeat(70_000) } } } });
    expect(response.status).toBe(413);
    expect(response.body.errors![0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("NOT_FOUND (404) for another account's generation, an unknown id and an unknown route", async () => {
    const other = await harness.createAccount();
    const created = await harness.graphql({ key: other.testKey, query: generateMutation, variables: { input: { type: 'IMAGE', input: { text: 'mine' } } } });
    for (const id of [created.body.data.generate.id, 'gen_doesnotexist']) {
      const response = await harness.graphql({ key: account.testKey, query: 'query ($id: ID!) { generation(id: $id) { id } }', variables: { id } });
      expect(response.status).toBe(404);
      expect(response.body.errors![0]!.extensions.code).toBe('NOT_FOUND');
      const cancel = await harness.graphql({ key: account.testKey, query: 'mutation ($id: ID!) { cancelGeneration(id: $id) }', variables: { id } });
      expect(cancel.body.errors![0]!.extensions.code).toBe('NOT_FOUND');
    }
    const route = await harness.app.inject({ method: 'GET', url: '/nowhere' });
    expect(route.statusCode).toBe(404);
    expect(route.json().errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('INSUFFICIENT_CREDITS (402) with creditsRequired and creditsAvailable, as the seed shows', async () => {
    const poor = await harness.createAccount({ credits: 1 });
    const response = await harness.graphql({ key: poor.liveKey, query: generateMutation, variables: { input: { type: 'VIDEO', provider: 'sandbox', input: { text: 'x' } } } });
    expect(response.status).toBe(402);
    expect(response.body.errors![0]!.extensions).toEqual({ code: 'INSUFFICIENT_CREDITS', creditsRequired: 2, creditsAvailable: 1 });
  });

  it('PROVIDER_UNAVAILABLE (503) when a live key names a provider without credentials, or asks for one automatically', async () => {
    for (const input of [
      { type: 'VIDEO', provider: 'runway', input: { text: 'x' } },
      { type: 'IMAGE', input: { text: 'x' } },
    ]) {
      const response = await harness.graphql({ key: account.liveKey, query: generateMutation, variables: { input } });
      expect(response.status).toBe(503);
      expect(response.body.errors![0]!.extensions.code).toBe('PROVIDER_UNAVAILABLE');
    }
  });

  it('GENERATION_FAILED, CONTENT_MODERATION and PROVIDER_UNAVAILABLE reach the generation when the sandbox is told to fail', async () => {
    const expectations: Array<[string, string]> = [
      ['[sandbox:fail] a cat', 'GENERATION_FAILED'],
      ['[sandbox:moderation] a cat', 'CONTENT_MODERATION'],
      ['[sandbox:unavailable] a cat', 'PROVIDER_UNAVAILABLE'],
    ];
    for (const [text, code] of expectations) {
      const created = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input: { type: 'IMAGE', provider: 'flux-pro', input: { text } } } });
      const id = created.body.data.generate.id;
      expect(await harness.waitForStatus(id, ['FAILED', 'COMPLETED'])).toBe('FAILED');
      const read = await harness.graphql({ key: account.testKey, query: 'query ($id: ID!) { generation(id: $id) { status errorCode error { code message retryable } url } }', variables: { id } });
      expect(read.body.data.generation).toMatchObject({ status: 'FAILED', errorCode: code, error: { code }, url: null });
    }
  });
});
