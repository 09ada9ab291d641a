import type { Principal } from '../billing/account-repository.ts';
import { type RateLimitState, rateLimitHeaders } from '../billing/rate-limits.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { OutboundUrlPolicy } from '../net/outbound-url-policy.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { newGenerationId } from '../shared/ids.ts';
import { checkMediaUrls, checkOwnUploads } from '../uploads/media-references.ts';
import type { UploadStore } from '../uploads/upload-store.ts';
import { mediaInputsOf } from '../uploads/upload-uri.ts';
import { type GenerateRequest, generateRequestSchema, parseOrThrow, type ValidGenerateRequest } from './generate-request.ts';
import { type Generation, isTerminal, newGeneration } from './generation.ts';
import type { GenerationEndings } from './generation-endings.ts';
import type { GenerationLifecycle } from './generation-lifecycle.ts';
import type { GenerationRepository, ListFilter } from './generation-repository.ts';
import { planGeneration } from './plan-generation.ts';
import type { GenerationScheduler } from './slot-lines.ts';

/** Who is asking; reads need only the account, `create` also the key mode and the plan's limits. */
export type Caller = Pick<Principal, 'accountId' | 'mode'>;

export interface CreatedGeneration {
  generation: Generation;
  rateLimit: RateLimitState;
}

export interface GenerationServiceDependencies {
  repository: GenerationRepository;
  /** For a generation that never reached the queue (its `generate` answers an error, so nothing is announced). */
  lifecycle: Pick<GenerationLifecycle, 'fail'>;
  /** Cancelling ends a generation like any other ending: slots freed and woken, webhook queued. */
  endings: Pick<GenerationEndings, 'ended'>;
  registry: ProviderRegistry;
  queue: GenerationScheduler;
  urls: Pick<OutboundUrlPolicy, 'check'>;
  uploads: Pick<UploadStore, 'find'>;
  now(): number;
  log: Logger;
}

/** The generation lifecycle as every transport sees it: create, read, list, cancel. */
export class GenerationService {
  constructor(private readonly dependencies: GenerationServiceDependencies) {}

  async create(caller: Principal, raw: GenerateRequest): Promise<CreatedGeneration> {
    const { repository, registry, queue, now } = this.dependencies;
    const request = parseOrThrow(generateRequestSchema, raw);
    this.checkUrls(request);
    await this.checkUploads(caller.accountId, request);
    const plan = planGeneration(registry, request, caller.mode);
    const createdAt = now();
    const generation = newGeneration({
      id: newGenerationId(),
      accountId: caller.accountId,
      mode: caller.mode,
      type: request.type,
      provider: plan.definition.id,
      model: plan.quote.model,
      route: plan.route,
      input: plan.request.input,
      options: plan.request.options,
      requestedOptions: request.options ?? {},
      priority: request.priority ?? 'BALANCED',
      fallback: request.fallbackProviders?.length ? request.fallbackProviders : (request.fallback ?? 'SAME_MODEL'),
      webhookUrl: request.webhookUrl ?? null,
      webhookFormat: request.webhookFormat ?? 'genway',
      webhookMoments: request.webhookMoments ?? null,
      deadline: request.cancelAfterMs ? createdAt + request.cancelAfterMs : null,
      creditCost: plan.credits,
      creditsReserved: caller.mode === 'live' ? plan.credits : 0,
      concurrencyLimit: caller.limits.concurrent,
      estimatedTime: plan.quote.estimatedSeconds,
      createdAt,
    });
    const created = await repository.create(generation, caller.limits);
    if (!created.ok && created.reason === 'RATE_LIMIT') throw rateLimited(created.window, created.rateLimit, now());
    if (!created.ok && created.reason === 'INSUFFICIENT_CREDITS') {
      throw new GatewayError('INSUFFICIENT_CREDITS', 'Insufficient credits for this operation', { details: { creditsRequired: plan.credits, creditsAvailable: created.balance } });
    }
    if (!created.ok) throw new GatewayError('UNAUTHENTICATED', 'the account for this API key no longer exists');
    try {
      await queue.enqueue(generation.id);
    } catch (error) {
      await this.dependencies.lifecycle.fail(generation, { code: 'INTERNAL', message: 'could not queue the generation', retryable: true });
      throw error;
    }
    this.dependencies.log.info({ generationId: generation.id, provider: generation.provider, route: generation.route, credits: plan.credits }, 'generation queued');
    return { generation, rateLimit: created.rateLimit };
  }

  /** Every URL genway will fetch or post to must pass the outbound policy; data URIs need no network. */
  private checkUrls(request: ValidGenerateRequest) {
    const { urls } = this.dependencies;
    if (request.webhookUrl) urls.check(request.webhookUrl, 'webhookUrl');
    checkMediaUrls(urls, mediaInputsOf(request.input));
  }

  /** An upload URI must name one of the caller's own uploads, still kept; anyone else's is as missing as a wrong id. */
  private checkUploads(accountId: string, request: ValidGenerateRequest) {
    return checkOwnUploads(this.dependencies.uploads, accountId, mediaInputsOf(request.input));
  }

  /** Another account's generation is indistinguishable from a missing one. */
  async get(caller: Caller, generationId: string): Promise<Generation> {
    const generation = await this.dependencies.repository.get(generationId);
    if (!generation || generation.accountId !== caller.accountId) throw new GatewayError('NOT_FOUND', `no generation ${generationId}`, { details: { field: 'id' } });
    return generation;
  }

  list(caller: Caller, first: number, after: string | undefined, filter: ListFilter) {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw new GatewayError('INVALID_INPUT', 'first: must be between 1 and 100', { details: { field: 'first' } });
    return this.dependencies.repository.listForAccount(caller.accountId, first, after, filter);
  }

  /**
   * Stops a generation. Credits come back when the provider had not started it yet; once submitted
   * upstream, the provider bills the work, so the reservation is kept. Its job is woken so the upstream task is
   * cancelled now rather than at its next poll.
   */
  async cancel(caller: Caller, generationId: string): Promise<boolean> {
    const generation = await this.get(caller, generationId);
    if (isTerminal(generation.status)) return false;
    const cancelled = await this.dependencies.endings.ended(generation, { status: 'CANCELLED' });
    if (cancelled) await this.dependencies.queue.wake(generationId);
    return cancelled;
  }
}

function rateLimited(window: 'minute' | 'day', rateLimit: RateLimitState, now: number): GatewayError {
  const retryAfterSeconds = Math.max(1, Math.ceil((rateLimit.resetAt - now) / 1000));
  const message = window === 'minute' ? `Rate limit of ${rateLimit.limit} generations per minute exceeded` : 'Daily generation limit exceeded';
  return new GatewayError('RATE_LIMIT', message, {
    retryable: true,
    details: { window, limit: rateLimit.limit, retryAfter: retryAfterSeconds },
    headers: { ...rateLimitHeaders({ ...rateLimit, remaining: 0 }), 'retry-after': String(retryAfterSeconds) },
  });
}
