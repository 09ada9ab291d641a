import { monitorEventLoopDelay } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { repositoryRoot } from '../support/processes.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/**
 * Hostile GraphQL documents, JSON bodies and multipart bodies at every surface: HTTP (/graphql, the REST /v1 routes,
 * the Runway-compatible /runway routes, the upload form) and graphql-ws. Whatever arrives, the gateway answers below
 * 500, without a stack trace or a file path, and its event loop keeps moving. The seed is fixed so a run is
 * repeatable; FUZZ_SEED explores others, FUZZ_RUNS scales the number of cases.
 */
const seed = Number(process.env.FUZZ_SEED ?? 25_0709);
const scale = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (count: number) => Math.max(1, Math.round(count * scale));

/** Generous: a hang guard, not a speed target. */
const maxEventLoopDelayMs = 1000;

// ---------------------------------------------------------------------------------------------------------------
// Values

const knownWords = [
  ...['VIDEO', 'IMAGE', 'AUDIO', 'AVATAR', 'QUALITY', 'SPEED', 'COST', 'BALANCED', 'SAME_MODEL', 'ANY', 'NONE'],
  ...['sandbox', 'runway', 'kling', 'veo', 'flux-dev', 'elevenlabs', 'heygen', 'gen4.5', 'gen4_turbo', 'gen4_image', 'veo3.1', 'eleven_v3'],
  ...['16:9', '9:16', '1:1', '1280:720', '1360:768', '0:0', '-1:5', '99999999:1', 'first', 'last', 'runway-preset', 'ephemeral'],
  ...['[sandbox:fail]', '[sandbox:slow]', '[sandbox:down]', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'],
  ...['https://example.com/a.png', 'http://127.0.0.1/x', 'https://169.254.169.254/latest', 'https://[::1]/', 'https://0x7f.1/', 'ftp://x/', 'javascript:alert(1)'],
  ...['data:image/png;base64,iVBORw0KGgo=', 'data:image/png;base64,', 'data:;base64,AAAA', 'data:video/mp4;base64,!!!!', 'data:image/svg+xml,<svg/>'],
  ...['runway://', 'runway://upl_nope', 'runway://../../x', 'gen_', 'gen_missing', 'upl_', '%00', '%2e%2e%2f', '..', '\u0000', '\u202e', '\ud800'],
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...knownWords) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 200, maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.nat(300_000).map((length) => 'x'.repeat(length)) },
);

const hostileNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(0, -0, -1, 1, 5, 10, 60, 4096, 2 ** 31, 2 ** 53, 2 ** 64, 1e308, -1e308, 1e-300, 0.5));

const fieldNames = [
  ...['type', 'provider', 'input', 'options', 'priority', 'webhookUrl', 'fallback', 'fallbackProviders', 'text', 'negativePrompt'],
  ...['image', 'endImage', 'video', 'audio', 'voice', 'references', 'duration', 'aspectRatio', 'seed', 'model', 'width', 'height'],
  ...['service', 'prompt', 'version', 'promptText', 'promptImage', 'ratio', 'uri', 'position', 'videoUri', 'referenceImages', 'tag'],
  ...['presetId', 'audioUri', 'targetLang', 'media', 'filename', 'name', 'personality', 'voiceId', 'startDate', 'beforeDate', 'id'],
  ...['__proto__', 'constructor', ''],
];
const hostileKey = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fieldNames) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) });

const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 8 }),
  ),
}));

/** A JSON object whose keys are mostly the API's own field names, so requests get past the first checks. */
const hostileObject = fc.dictionary(hostileKey, hostileValue, { maxKeys: 10 });

/** JSON text nested `levels` deep, written out (JSON.stringify would overflow on the deepest ones). */
const deepJson = fc.tuple(fc.integer({ min: 10, max: 200_000 }), fc.constantFrom('[', '{"a":')).map(([levels, open]) => {
  const close = open === '[' ? ']' : '}';
  return `${open.repeat(levels)}1${close.repeat(levels)}`;
});

/** JSON text of a value with `"<hole>"` filled by raw text (a deep value, a broken token). */
const spliced = (value: unknown, hole: string) => JSON.stringify(value).replace('"<hole>"', hole);

/** A body as bytes on the wire: mostly JSON of a hostile object, sometimes broken or deep JSON, or not JSON at all. */
const jsonBody = fc.oneof(
  { weight: 6, arbitrary: hostileObject.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.tuple(hostileObject, hostileKey, deepJson).map(([value, key, deep]) => spliced({ ...value, [key || 'k']: '<hole>' }, deep)) },
  { weight: 1, arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 1, arbitrary: fc.tuple(hostileObject, fc.nat()).map(([value, cut]) => JSON.stringify(value).slice(0, cut % 40)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '}', '[]', 'null', '"x"', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}', '{"a":1,"a":2}') },
);

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/graphql', 'multipart/form-data', '', '*/*') },
);

// ---------------------------------------------------------------------------------------------------------------
// GraphQL documents

const graphqlNames = [
  ...['generate', 'generation', 'generations', 'cancelGeneration', 'videoCreate', 'account', 'usage', 'providers', 'webhookDeliveries'],
  ...['redeliverWebhook', 'generationUpdated', 'generationsUpdated', 'id', 'status', 'type', 'url', 'outputs', 'metadata', 'error', 'code'],
  ...['creditCost', 'attempts', 'edges', 'node', 'pageInfo', 'hasNextPage', 'rateLimit', 'options', 'routes', 'health', 'credits', 'lines'],
  ...['__typename', '__schema', '__type', 'types', 'fields', 'name', 'ofType', 'input', 'text', 'first', 'after', 'days', 'nope'],
];
const graphqlTokens = [
  ...['{', '}', '(', ')', ':', '$', '...', '@', '!', '[', ']', '=', ',', '|', '&', 'query', 'mutation', 'subscription', 'fragment', 'on'],
  ...['"x"', '"""block"""', '"\\u0000"', '"\\uD800"', '1', '-1', '1e999', '0.5', 'true', 'null', 'VIDEO', '@include(if: true)', '@skip(if: $x)'],
  ...['@deprecated', '#comment\n', '\n', '$input', '$id', 'Int', 'String!', '[ID!]!', 'GenerateInput!', 'JSON'],
];

/** A selection set from the schema's names: aliases, arguments, fragments, nesting and width an attacker would try. */
const { selection } = fc.letrec<{ selection: string }>((tie) => ({
  selection: fc
    .array(
      fc.tuple(
        fc.option(fc.constantFrom('a', 'b', 'x1', '__typename', 'generate'), { nil: undefined }),
        fc.constantFrom(...graphqlNames),
        fc.option(
          fc.tuple(fc.constantFrom('id', 'input', 'first', 'days', 'type', 'status', 'after'), fc.constantFrom('"gen_x"', '1', '-5', '99999999999', 'VIDEO', '$v', '{ type: IMAGE }', 'null', '[1,2]')),
          { nil: undefined },
        ),
        fc.option(tie('selection'), { nil: undefined, depthSize: 'small' }),
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((fields) =>
      fields.map(([alias, name, argument, inner]) => `${alias ? `${alias}: ` : ''}${name}${argument ? `(${argument[0]}: ${argument[1]})` : ''}${inner ? ` { ${inner} }` : ''}`).join(' '),
    ),
}));

const graphqlDocument = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom('', 'query', 'mutation', 'subscription', 'query Q($v: Int)', 'mutation M($input: GenerateInput!)'), selection).map(([head, body]) => `${head} { ${body} }`),
  },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...graphqlTokens, ...graphqlNames), { maxLength: 80 }).map((tokens) => tokens.join(' ')) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(3000), fc.constantFrom('a: __typename ', 'generation(id: "x") { id } ', '...F ')).map(([count, part]) => `{ ${part.repeat(count)}}`) },
  { weight: 1, arbitrary: fc.nat(5000).map((depth) => `{ ${'generations { edges { node { '.repeat(depth)} id ${'} } } '.repeat(depth)}}`) },
  { weight: 1, arbitrary: fc.nat(20_000).map((depth) => `query { generation(id: ${'['.repeat(depth)}"x"${']'.repeat(depth)}) { id } }`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

/** Real operations with hostile variables: these reach the resolvers and the service's own validation. */
const knownOperations = [
  'mutation ($input: GenerateInput!) { generate(input: $input) { id status creditCost error { code } } }',
  'mutation ($input: VideoCreateInput!) { videoCreate(input: $input) { id status videoUrl } }',
  'query ($id: ID!) { generation(id: $id) { id status attempts { code } } }',
  'query ($first: Int, $after: String, $status: GenerationStatus, $type: GenerationType) { generations(first: $first, after: $after, status: $status, type: $type) { edges { node { id } } pageInfo { hasNextPage } } }',
  'query ($days: Int) { usage(days: $days) { date credits } }',
  'query ($type: GenerationType) { providers(type: $type) { id options { name } } }',
  'mutation ($id: ID!) { cancelGeneration(id: $id) }',
  'query ($generationId: ID!) { webhookDeliveries(generationId: $generationId) { status } }',
  'mutation ($generationId: ID!) { redeliverWebhook(generationId: $generationId) }',
];
const generateInput = fc.record(
  {
    type: fc.oneof(fc.constantFrom('VIDEO', 'IMAGE', 'AUDIO', 'AVATAR'), hostileValue),
    provider: hostileValue,
    input: fc.oneof(hostileObject, hostileValue),
    options: fc.oneof(hostileObject, hostileValue),
    priority: hostileValue,
    webhookUrl: hostileValue,
    fallback: hostileValue,
    fallbackProviders: hostileValue,
  },
  { requiredKeys: ['type', 'input'] },
);
const hostileVariables = fc.record(
  {
    input: fc.oneof(generateInput, hostileObject),
    id: hostileValue,
    generationId: hostileValue,
    first: hostileValue,
    after: hostileValue,
    status: hostileValue,
    type: hostileValue,
    days: hostileValue,
    v: hostileValue,
  },
  { requiredKeys: [] },
);

const graphqlBody = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...knownOperations), hostileVariables).map(([query, variables]) => JSON.stringify({ query, variables })) },
  {
    weight: 3,
    arbitrary: fc.tuple(graphqlDocument, fc.option(hostileObject), fc.option(hostileString)).map(([query, variables, operationName]) => JSON.stringify({ query, variables, operationName })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...knownOperations), deepJson)
      .map(([query, deep]) => spliced({ query, variables: { input: { type: 'IMAGE', input: { text: 'x' }, options: '<hole>' } } }, deep)),
  },
  { weight: 1, arbitrary: fc.array(fc.record({ query: graphqlDocument }), { maxLength: 5 }).map((batch) => JSON.stringify(batch)) },
  { weight: 1, arbitrary: jsonBody },
);

// ---------------------------------------------------------------------------------------------------------------
// What every answer must (not) contain

const stackFrame = /(?:\\n|\n)\s+at\s/;
const filePath = new RegExp(`${repositoryRoot.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|node_modules|file://|\\.ts:\\d+:\\d+`);
/** A 503 with one of these codes is the gateway's designed answer (an upstream not configured, Redis or storage away), not a fault. */
const unavailableAnswer = /"code":"(PROVIDER_UNAVAILABLE|SERVICE_UNAVAILABLE|STORAGE_UNAVAILABLE)"/;

interface Finding {
  surface: string;
  input: string;
  answer: string;
}

const findings: Finding[] = [];
const cut = (text: string, length = 300) => (text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text);

/** Records what is wrong with one answer, if anything: a 5xx (or an INTERNAL error code), a stack trace, a file path. */
function check(surface: string, input: string, status: number, body: string) {
  const problems: string[] = [];
  if (status >= 500 && !(status === 503 && unavailableAnswer.test(body))) problems.push(`status ${status}`);
  if (stackFrame.test(body)) problems.push('stack trace');
  if (filePath.test(body)) problems.push('file path');
  if (/"code":"(INTERNAL|INTERNAL_SERVER_ERROR)"/.test(body)) problems.push('INTERNAL error code');
  if (problems.length > 0) findings.push({ surface, input: cut(input), answer: `${problems.join(', ')}: ${cut(body)}` });
}

// ---------------------------------------------------------------------------------------------------------------

describe('hardening: fuzzing every surface', () => {
  let harness: TestGateway;
  let baseUrl: string;
  let keys: string[];
  let uploadIds: string[];
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  let cases = 0;

  beforeAll(async () => {
    harness = await startTestGateway({ LOG_LEVEL: 'silent' }, { worker: false });
    baseUrl = await harness.listen();
    const account = await harness.createAccount({ plan: 'enterprise', credits: 1_000_000 });
    keys = [account.testKey, account.liveKey];
    uploadIds = [];
    for (let index = 0; index < 3; index++) {
      const begun = await harness.app.inject({
        method: 'POST',
        url: '/runway/v1/uploads',
        headers: { authorization: `Bearer ${account.testKey}`, 'x-runway-version': '2024-11-06', 'content-type': 'application/json' },
        payload: JSON.stringify({ filename: 'a.png', type: 'ephemeral' }),
      });
      uploadIds.push(new URL(begun.json().uploadUrl).pathname.split('/').at(-1)!);
    }
    loopDelay.enable();
  });
  afterAll(async () => {
    loopDelay.disable();
    await harness.close();
    if (findings.length > 0) console.error(`fuzz findings (${findings.length}):\n${findings.map((finding) => JSON.stringify(finding)).join('\n')}`);
    console.info(`fuzz: ${cases} cases, event loop delay max ${Math.round(loopDelay.max / 1e6)} ms`);
  });

  const authHeaders = fc.oneof(
    { weight: 8, arbitrary: fc.nat(1).map((index) => ({ authorization: `Bearer ${keys[index]}` })) },
    { weight: 1, arbitrary: fc.nat(1).map((index) => ({ 'x-api-key': keys[index]! })) },
    { weight: 1, arbitrary: fc.constantFrom({}, { authorization: 'Bearer gw_test_nope' }, { authorization: 'Basic Og==' }, { authorization: 'Bearer ' }, { 'x-api-key': 'x'.repeat(5000) }) },
  );

  const inject = async (surface: string, request: { method: string; url: string; headers: Record<string, string>; payload?: string | Buffer }) => {
    cases++;
    const response = await harness.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, payload: request.payload });
    check(
      surface,
      `${request.method} ${request.url} ${JSON.stringify(request.headers)} ${typeof request.payload === 'string' ? request.payload : (request.payload?.toString('latin1') ?? '')}`,
      response.statusCode,
      response.body,
    );
  };

  it('POST and GET /graphql: hostile documents and variables', async () => {
    const post = fc
      .tuple(graphqlBody, contentType, authHeaders)
      .map(([payload, type, auth]) => ({ method: 'POST', url: '/graphql', headers: { 'content-type': type, ...auth } as Record<string, string>, payload }));
    const get = fc.tuple(graphqlDocument, fc.option(jsonBody, { nil: undefined }), authHeaders).map(([query, variables, auth]) => ({
      method: 'GET',
      url: `/graphql?${new URLSearchParams({ query: query.slice(0, 4000), ...(variables ? { variables: variables.slice(0, 4000) } : {}) })}`,
      headers: { 'apollo-require-preflight': 'true', ...auth } as Record<string, string>,
    }));
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: post }, { weight: 1, arbitrary: get }), (request) => inject('graphql', request)),
      { seed, numRuns: runs(1200) },
    );
  });

  it('the REST /v1 and Runway-compatible /runway routes: hostile JSON bodies, ids and query strings', async () => {
    const routes = [
      ...['/v1/text_to_video', '/v1/image_to_video', '/v1/text_to_image', '/v1/text_to_speech'].map((path) => ({ method: 'POST', path })),
      ...['text_to_video', 'image_to_video', 'video_to_video', 'text_to_image', 'text_to_speech', 'sound_effect', 'voice_isolation', 'voice_dubbing', 'speech_to_speech'].map((endpoint) => ({
        method: 'POST',
        path: `/runway/v1/${endpoint}`,
      })),
      ...['/runway/v1/organization/usage', '/runway/v1/uploads', '/runway/v1/avatars', '/runway/v1/documents', '/runway/v1/realtime_sessions', '/runway/v1/realtime_sessions/:id/consume'].map(
        (path) => ({ method: 'POST', path }),
      ),
      ...['/runway/v1/avatars/:id', '/runway/v1/documents/:id'].map((path) => ({ method: 'PATCH', path })),
      ...[
        '/v1/generations/:id',
        '/v1/providers',
        '/runway/v1/tasks/:id',
        '/runway/v1/organization',
        '/runway/v1/avatars',
        '/runway/v1/avatars/:id',
        '/runway/v1/avatar_usage',
        '/runway/v1/documents',
        '/runway/v1/documents/:id',
        '/runway/v1/realtime_sessions/:id',
      ].map((path) => ({ method: 'GET', path })),
      ...['/v1/generations/:id', '/runway/v1/tasks/:id', '/runway/v1/avatars/:id', '/runway/v1/documents/:id', '/runway/v1/realtime_sessions/:id'].map((path) => ({ method: 'DELETE', path })),
      { method: 'GET', path: '/v1/generations/:id/events' },
      { method: 'GET', path: '/runway/v1/tasks/:id/events' },
    ];
    const id = fc.oneof(fc.constantFrom('gen_missing', 'x', '..', '%2e%2e', '%00', 'a'.repeat(300), '__proto__'), fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent));
    const query = fc.option(
      fc.dictionary(
        fc.constantFrom('type', 'first', 'after', 'startDate', 'beforeDate', 'cursor', 'limit', '__proto__'),
        hostileString.map((value) => value.slice(0, 200)),
        { maxKeys: 3 },
      ),
      { nil: undefined },
    );
    const request = fc
      .tuple(fc.constantFrom(...routes), id, query, jsonBody, contentType, authHeaders, fc.boolean(), fc.option(fc.string({ maxLength: 40 }), { nil: undefined }))
      .map(([route, routeId, search, payload, type, auth, versioned, idempotencyKey]) => {
        const hasBody = route.method === 'POST' || route.method === 'PATCH';
        const headers = {
          ...auth,
          ...(hasBody ? { 'content-type': type } : {}),
          ...(versioned ? { 'x-runway-version': '2024-11-06' } : {}),
          ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
        } as Record<string, string>;
        const url = `${route.path.replace(':id', routeId)}${search ? `?${new URLSearchParams(search)}` : ''}`;
        return { method: route.method, url, headers, payload: hasBody ? payload : undefined };
      });
    await fc.assert(
      fc.asyncProperty(request, (each) => inject('rest/runway', each)),
      { seed, numRuns: runs(1400) },
    );
  });

  it('the upload form: hostile multipart bodies', async () => {
    const boundary = fc.oneof(
      fc.constantFrom('b', 'x'.repeat(70), 'x'.repeat(300), '', '"quoted"', '--', 'a b'),
      fc.string({ minLength: 1, maxLength: 20 }).filter((value) => !/[\r\n]/.test(value)),
    );
    const part = fc.record({
      name: fc.oneof(fc.constantFrom('file', 'token', 'key', 'Content-Type', ''), fc.string({ maxLength: 10 })),
      filename: fc.option(fc.oneof(fc.constantFrom('a.png', '../../etc/passwd', '', 'x'.repeat(1000)), fc.string({ maxLength: 20 })), { nil: undefined }),
      type: fc.option(fc.constantFrom('image/png', 'video/mp4', 'text/html', 'application/octet-stream', ''), { nil: undefined }),
      content: fc.oneof(fc.constantFrom('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'GIF89a', ''), fc.string({ unit: 'binary', maxLength: 300 })),
    });
    const form = fc.tuple(boundary, fc.array(part, { maxLength: 5 }), fc.nat(2), fc.nat(400), fc.boolean()).map(([mark, parts, target, truncateAt, truncate]) => {
      const lines = parts.map(
        (each) =>
          `--${mark}\r\nContent-Disposition: form-data; name="${each.name}"${each.filename === undefined ? '' : `; filename="${each.filename}"`}\r\n${each.type === undefined ? '' : `Content-Type: ${each.type}\r\n`}\r\n${each.content}\r\n`,
      );
      const text = `${lines.join('')}--${mark}--\r\n`;
      const payload = Buffer.from(truncate ? text.slice(0, truncateAt) : text, 'latin1');
      const headerBoundary = truncateAt % 7 === 0 ? `${mark}x` : mark;
      const contentTypeHeader = truncateAt % 11 === 0 ? 'multipart/form-data' : `multipart/form-data; boundary=${headerBoundary}`;
      return { method: 'POST', url: `/runway/uploads/${target < uploadIds.length ? uploadIds[target] : 'upl_missing'}`, headers: { 'content-type': contentTypeHeader }, payload };
    });
    await fc.assert(
      fc.asyncProperty(form, (each) => inject('upload form', each)),
      { seed, numRuns: runs(600) },
    );
  });

  it('graphql-ws: hostile messages over WebSocket', async () => {
    const subscribe = fc
      .tuple(
        fc.oneof(graphqlDocument, fc.constantFrom(...knownOperations, 'subscription ($id: ID!) { generationUpdated(id: $id) { id status } }', 'subscription { generationsUpdated { id } }')),
        hostileVariables,
        fc.string({ maxLength: 8 }),
      )
      .map(([query, variables, id]) => JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    const message = fc.oneof(
      { weight: 4, arbitrary: subscribe },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom('connection_init', 'subscribe', 'complete', 'ping', 'pong', 'next', 'error', 'nope'), fc.option(hostileValue), fc.option(hostileValue))
          .map(([type, id, payload]) => JSON.stringify({ type, id, payload })),
      },
      { weight: 1, arbitrary: jsonBody },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...knownOperations), deepJson)
          .map(([query, deep]) => spliced({ id: 'd', type: 'subscribe', payload: { query, variables: { input: { type: 'IMAGE', input: { text: 'x' }, options: '<hole>' } } } }, deep)),
      },
    );
    const init = fc.oneof(
      { weight: 6, arbitrary: fc.nat(1).map((index) => JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${keys[index]}` } })) },
      { weight: 1, arbitrary: fc.tuple(hostileValue).map(([payload]) => JSON.stringify({ type: 'connection_init', payload })) },
    );
    const session = fc.tuple(init, fc.array(message, { minLength: 1, maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(session, async ([first, messages]) => {
        cases++;
        const received = await converse(`${baseUrl.replace('http', 'ws')}/graphql`, [first, ...messages]);
        const input = [first, ...messages].join(' | ');
        for (const text of received.messages) check('graphql-ws', input, 200, text);
        // graphql-ws closes with 4500 on an internal error; 1011 is the WebSocket's own "server error".
        if (received.closeCode === 4500 || received.closeCode === 1011) check('graphql-ws', input, 500, `closed ${received.closeCode} ${received.closeReason}`);
        check('graphql-ws', input, 200, received.closeReason);
      }),
      { seed, numRuns: runs(400) },
    );
  });

  it('answered every case below 500, without stack traces or file paths, and kept the event loop moving', () => {
    expect(findings).toEqual([]);
    expect(loopDelay.max / 1e6).toBeLessThan(maxEventLoopDelayMs);
  });
});

/**
 * Opens a graphql-ws socket with the first message (connection_init), and once it is acknowledged sends the rest and a
 * ping; collects what comes back until the pong or the close: the answers to the messages before the ping have been
 * sent by then, or are on their way.
 */
async function converse(url: string, [init, ...messages]: string[]): Promise<{ messages: string[]; closeCode: number | null; closeReason: string }> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const received: string[] = [];
  let closeCode: number | null = null;
  let closeReason = '';
  const closed = new Promise<void>((resolve) => {
    socket.once('close', (code, reason) => {
      closeCode = code;
      closeReason = reason.toString();
      resolve();
    });
    socket.once('error', () => resolve());
  });
  const waiters: Array<{ type: string; resolve: () => void }> = [];
  socket.on('message', (data) => {
    const text = String(data);
    received.push(text);
    for (const waiter of waiters) if (text.includes(`"type":"${waiter.type}"`)) waiter.resolve();
  });
  const answered = (type: string) => Promise.race([new Promise<void>((resolve) => waiters.push({ type, resolve })), closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
  await Promise.race([new Promise((resolve) => socket.once('open', resolve)), closed]);
  if (socket.readyState === WebSocket.OPEN) {
    const acknowledged = answered('connection_ack');
    socket.send(init!);
    await acknowledged;
  }
  if (socket.readyState === WebSocket.OPEN) {
    const ponged = answered('pong');
    for (const message of messages) socket.send(message);
    socket.send('{"type":"ping"}');
    await ponged;
  }
  if (socket.readyState === WebSocket.OPEN) socket.close();
  await closed;
  return { messages: received, closeCode, closeReason };
}
