import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** `{ a: { a: … { a: 1 } } }`, `levels` objects deep, built without recursion. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

/** The same as JSON text, written out: JSON.stringify itself overflows the stack on it. */
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels - 1)}{"a":1}${'}'.repeat(levels - 1)}`;

/** JSON text of `value` with `deepJson` spliced in where `value` has the string '<deep>'. */
const withDeep = (value: unknown, deepJson: string) => JSON.stringify(value).replace('"<deep>"', deepJson);

const generateMutation = 'mutation ($input: GenerateInput!) { generate(input: $input) { id } }';
const imageRequest = (options: unknown) => ({ type: 'IMAGE', provider: 'sandbox', input: { text: 'a lighthouse' }, options });

/** One graphql-ws operation over a raw socket (the client library would JSON.stringify the deep value itself): its first answer. */
async function overWebSocket(url: string, key: string, subscribeMessage: string): Promise<{ type: string; payload?: unknown }> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: Array<{ type: string; payload?: unknown }> = [];
  let wake = () => {};
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    wake();
  });
  const next = async () => {
    while (messages.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return messages.shift()!;
  };
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  try {
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
    expect((await next()).type).toBe('connection_ack');
    socket.send(subscribeMessage);
    return await next();
  } finally {
    socket.close();
  }
}

interface ErrorAnswer {
  errors: Array<{ extensions: { code: string; field?: string } }>;
}

describe('hardening #7: malformed input', () => {
  let harness: TestGateway;
  let baseUrl: string;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  beforeAll(async () => {
    harness = await startTestGateway({}, { worker: false });
    baseUrl = await harness.listen();
    account = await harness.createAccount();
  });
  afterAll(() => harness.close());

  const storedGenerations = async () => (await harness.gateway.repository.listForAccount(account.accountId, 100, undefined, {})).items.length;

  const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${account.testKey}`, ...headers }, body });

  it('refuses GraphQL options nested 4,500 levels deep with INVALID_INPUT naming the field, storing nothing', async () => {
    const response = await postJson('/graphql', withDeep({ query: generateMutation, variables: { input: imageRequest('<deep>') } }, nestedJson(4500)));
    expect(response.status).toBe(400);
    const error = ((await response.json()) as ErrorAnswer).errors[0]!;
    expect(error.extensions.code).toBe('INVALID_INPUT');
    expect(error.extensions.field).toMatch(/^variables\.input\.options\.a\./);
    expect(await storedGenerations()).toBe(0);
  });

  it('refuses options nested 4,500 levels deep over a WebSocket with INVALID_INPUT naming options', async () => {
    const message = withDeep({ id: '1', type: 'subscribe', payload: { query: generateMutation, variables: { input: imageRequest('<deep>') } } }, nestedJson(4500));
    const answer = await overWebSocket(`${baseUrl.replace('http', 'ws')}/graphql`, account.testKey, message);
    const payloads = [answer.payload as { errors?: Array<{ extensions?: Record<string, unknown> }> }];
    expect(payloads[0]!.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: expect.stringMatching(/^options\.a\./) });
    expect(await storedGenerations()).toBe(0);
  });

  it('refuses options nested deeper than 16 levels, naming the path to the level too deep', async () => {
    const response = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input: imageRequest(nested(20)) } });
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: `options${'.a'.repeat(16)}` });
    expect(await storedGenerations()).toBe(0);
  });

  it('refuses options larger than 64 KB as JSON', async () => {
    const response = await harness.graphql({ key: account.testKey, query: generateMutation, variables: { input: imageRequest({ note: 'x'.repeat(70_000) }) } });
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'options' });
    expect(await storedGenerations()).toBe(0);
  });

  it('refuses a REST option nested 4,500 levels deep with 400 INVALID_INPUT naming it', async () => {
    const response = await postJson('/v1/text_to_image', withDeep({ service: 'sandbox', prompt: 'a lighthouse', style: '<deep>' }, nestedJson(4500)));
    expect(response.status).toBe(400);
    const error = ((await response.json()) as ErrorAnswer).errors[0]!;
    expect(error.extensions).toMatchObject({ code: 'INVALID_INPUT', field: expect.stringMatching(/^style\.a\./) });
    expect(await storedGenerations()).toBe(0);
  });

  it('refuses a Runway-compatible body nested 4,500 levels deep with an Idempotency-Key: 400 INVALID_INPUT, not a 500', async () => {
    const body = withDeep({ model: 'gen4_image', promptText: 'a lighthouse', ratio: '1024:1024', extra: '<deep>' }, nestedJson(4500));
    const response = await postJson('/runway/v1/text_to_image', body, { 'x-runway-version': '2024-11-06', 'idempotency-key': 'deep-body-1' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_INPUT', field: expect.stringMatching(/^extra\.a\./) });
  });

  it('answers a JSON body nested 200,000 levels deep with 400 INVALID_INPUT', async () => {
    const text = `{"query":"{ account { id } }","variables":{"deep":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${account.testKey}` }, body: text });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorAnswer).errors[0]!.extensions.code).toBe('INVALID_INPUT');
  });
});
