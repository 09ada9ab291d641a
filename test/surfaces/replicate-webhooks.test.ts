import Replicate, { type ApiError, type Prediction, validateWebhook } from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { eventually, type ReceivedRequest, startReceiver } from '../support/webhook-receiver.ts';

const header = (request: ReceivedRequest, name: string) => String(request.headers[name]);

describe("Replicate's webhooks and Cancel-After on the Replicate-compatible API, with the official replicate client", () => {
  let harness: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let replicate: Replicate;
  let account: Awaited<ReturnType<TestGateway['createAccount']>>;

  /** The requests the receiver got at `path`, once there are `count` of them. */
  const deliveredTo = async (path: string, count: number) => {
    const received = await eventually(
      () => receiver.requests.filter((request) => request.url === path),
      (requests) => requests.length >= count,
      20_000,
    );
    expect(received).toHaveLength(count);
    return received;
  };
  const predictionOf = (request: ReceivedRequest) => JSON.parse(request.rawBody) as Prediction;

  beforeAll(async () => {
    // [sandbox:slow] then runs ten seconds, longer than the shortest Cancel-After.
    harness = await startTestGateway({ SANDBOX_LATENCY_MS: '1000' });
    receiver = await startReceiver();
    account = await harness.createAccount();
    replicate = new Replicate({ auth: account.testKey, baseUrl: `${await harness.listen()}/replicate/v1` });
  });
  afterAll(async () => {
    await harness.close();
    await receiver.close();
  });

  it('sends the completed prediction object, signed so validateWebhook accepts it with the secret the client fetches', async () => {
    const created = await replicate.predictions.create({
      model: 'bytedance/seedream-4',
      input: { prompt: 'a signed lantern' },
      webhook: `${receiver.origin}/completed`,
      webhook_events_filter: ['completed'],
    });
    const [delivery] = await deliveredTo('/completed', 1);
    expect(predictionOf(delivery!)).toMatchObject({
      id: created.id,
      model: 'bytedance/seedream-4',
      status: 'succeeded',
      output: [expect.stringMatching(/\/files\//)],
      input: { prompt: 'a signed lantern' },
    });
    const { key } = await replicate.webhooks.default.secret.get();
    const signed = { id: header(delivery!, 'webhook-id'), timestamp: header(delivery!, 'webhook-timestamp'), signature: header(delivery!, 'webhook-signature'), body: delivery!.rawBody };
    expect(await validateWebhook({ ...signed, secret: key })).toBe(true);
  });

  it('does not validate a delivery against another secret', async () => {
    await replicate.predictions.create({ model: 'bytedance/seedream-4', input: { prompt: 'another secret' }, webhook: `${receiver.origin}/other-secret`, webhook_events_filter: ['completed'] });
    const [delivery] = await deliveredTo('/other-secret', 1);
    const other = await harness.createAccount();
    const signed = { id: header(delivery!, 'webhook-id'), timestamp: header(delivery!, 'webhook-timestamp'), signature: header(delivery!, 'webhook-signature'), body: delivery!.rawBody };
    expect(await validateWebhook({ ...signed, secret: other.webhookSecret })).toBe(false);
  });

  it('sends start and completed when no filter is given: the processing prediction, then the succeeded one', async () => {
    const created = await replicate.predictions.create({ model: 'black-forest-labs/flux-dev', input: { prompt: 'every event' }, webhook: `${receiver.origin}/every` });
    const deliveries = await deliveredTo('/every', 2);
    const statuses = deliveries.map((delivery) => predictionOf(delivery)).map((prediction) => [prediction.id, prediction.status]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        [created.id, 'processing'],
        [created.id, 'succeeded'],
      ]),
    );
  });

  it('cancels a prediction still running when its Cancel-After passes, and sends it canceled to its webhook', async () => {
    const response = await replicate.request('/models/bytedance/seedream-4/predictions', {
      method: 'POST',
      headers: { 'Cancel-After': '5s' },
      data: { input: { prompt: '[sandbox:slow] cut short' }, webhook: `${receiver.origin}/cancelled`, webhook_events_filter: ['completed'] },
    });
    const created = (await response.json()) as Prediction;
    expect(await harness.waitForStatus(created.id, ['COMPLETED', 'FAILED', 'CANCELLED'], 15_000)).toBe('CANCELLED');
    expect(await replicate.predictions.get(created.id)).toMatchObject({ status: 'canceled', output: null });
    const [delivery] = await deliveredTo('/cancelled', 1);
    expect(predictionOf(delivery!)).toMatchObject({ id: created.id, status: 'canceled' });
  });

  it('refuses a Cancel-After shorter than 5 s with ApiError 422 naming the header', async () => {
    const error = (await replicate.request('/models/bytedance/seedream-4/predictions', { method: 'POST', headers: { 'Cancel-After': '2s' }, data: { input: { prompt: 'too soon' } } }).then(
      () => null,
      (caught: unknown) => caught,
    )) as ApiError | null;
    expect(error?.name).toBe('ApiError');
    expect(error!.response.status).toBe(422);
    expect(error!.response.headers.get('x-genway-error-code')).toBe('INVALID_INPUT');
    const body = JSON.parse(error!.message.slice(error!.message.indexOf('{'), error!.message.lastIndexOf('}') + 1)) as { invalid_fields: Array<{ field: string }> };
    expect(body.invalid_fields).toEqual([expect.objectContaining({ field: 'Cancel-After' })]);
  });
});
