import { GatewayError } from '../errors/gateway-error.ts';
import { isTerminal } from '../generations/generation.ts';
import type { Caller, GenerationService } from '../generations/generation-service.ts';
import type { DeliveryAttempt, WebhookDeliveryLog } from './webhook-delivery-log.ts';
import { eventForStatus, type WebhookEvent } from './webhook-payload.ts';

/** How a delivery is queued (the webhook job queue implements it). */
export interface WebhookScheduler {
  enqueue(generationId: string, event: WebhookEvent, options?: { redelivery?: boolean }): Promise<void>;
}

/** What clients can do about their webhooks: read the delivery log, ask for a redelivery. */
export class WebhookService {
  constructor(private readonly dependencies: { generations: Pick<GenerationService, 'get'>; deliveries: WebhookDeliveryLog; queue: WebhookScheduler }) {}

  async deliveries(caller: Caller, generationId: string): Promise<DeliveryAttempt[]> {
    await this.dependencies.generations.get(caller, generationId);
    return this.dependencies.deliveries.list(generationId);
  }

  async redeliver(caller: Caller, generationId: string): Promise<boolean> {
    const generation = await this.dependencies.generations.get(caller, generationId);
    if (!generation.webhookUrl) throw new GatewayError('INVALID_INPUT', 'generationId: this generation has no webhookUrl', { details: { field: 'generationId' } });
    if (!isTerminal(generation.status))
      throw new GatewayError('INVALID_INPUT', 'generationId: the generation has not ended yet; its webhook is sent when it does', { details: { field: 'generationId' } });
    await this.dependencies.deliveries.enable(generation.accountId, generation.webhookUrl);
    await this.dependencies.queue.enqueue(generation.id, eventForStatus[generation.status as keyof typeof eventForStatus], { redelivery: true });
    return true;
  }
}
