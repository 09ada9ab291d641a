import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountRepository } from '../../billing/account-repository.ts';
import type { AccountStatus } from '../../billing/account-status.ts';
import type { ConcurrencySlots } from '../../billing/concurrency-slots.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerationService } from '../../generations/generation-service.ts';
import { addRateLimitHeaders, requireApiKey, requireRedis } from '../../http/authentication.ts';
import { asGatewayError, replyWithError } from '../../http/error-handler.ts';
import { type EventStreamDependencies, streamGeneration } from '../../http/event-stream.ts';
import { runwayApiVersion } from '../../providers/runway/runway-models.ts';
import type { RealtimeConnections } from '../../realtime/realtime-limits.ts';
import type { RedisConnectivity } from '../../redis/redis-connectivity.ts';
import type { RunwayAccountSettings } from './runway-account-settings.ts';
import { type RunwayResourceRouteDependencies, runwayResourceRoutes } from './runway-resource-routes.ts';
import { type RunwayTaskEndpoint, runwayBodyToRequest, runwayTaskBodies, runwayTaskView } from './runway-task-mapping.ts';
import { type RunwayUploadDependencies, runwayUploadRoutes } from './runway-upload-routes.ts';

/** What Runway's API uses: its own authentication, the generation service, and what its uploads, resources and event streams need. */
export interface RunwaySurfaceDependencies extends EventStreamDependencies, RunwayUploadDependencies, RunwayResourceRouteDependencies {
  connectivity: Pick<RedisConnectivity, 'isUp'>;
  accounts: Pick<AccountRepository, 'authenticate' | 'get'>;
  accountStatus: Pick<AccountStatus, 'minuteWindow' | 'usageByModel'>;
  runwayAccounts: Pick<RunwayAccountSettings, 'provider'>;
  service: Pick<GenerationService, 'create' | 'get' | 'cancel'>;
  /** A queued task waiting for a concurrency slot is THROTTLED in Runway's terms. */
  slots: Pick<ConcurrencySlots, 'isWaiting'>;
  uploads: RunwayUploadDependencies['uploads'] & RunwayResourceRouteDependencies['uploads'];
}

/** Which provider Runway-shaped requests go to: this header, else the account's setting, else runway. */
export const providerHeader = 'x-genway-provider';
const defaultProvider = 'runway';

/** Runway's error body: `{ "error": "…" }` with the HTTP status. */
const runwayErrorBody = (error: GatewayError) => ({ error: error.message, code: error.code, ...error.details });
const sendRunwayError = (reply: FastifyReply, error: GatewayError) => replyWithError(reply, error, runwayErrorBody);

function runwayErrorHandler(error: FastifyError | GatewayError, request: FastifyRequest, reply: FastifyReply) {
  return sendRunwayError(reply, asGatewayError(error, request));
}

async function requireRunwayVersion(request: FastifyRequest, reply: FastifyReply) {
  if (request.routeOptions.config.authenticatesItself) return;
  if (request.headers['x-runway-version'] !== runwayApiVersion) {
    return sendRunwayError(reply, new GatewayError('INVALID_INPUT', `X-Runway-Version must be ${runwayApiVersion}`, { details: { field: 'X-Runway-Version' } }));
  }
}

const taskParams = z.object({ id: z.string().min(1) });

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
const usageWindow = z.object({ startDate: day.optional(), beforeDate: day.optional() });
const dayMs = 24 * 60 * 60_000;
const maxUsageDays = 90;

/** Runway's usage window: from startDate (default 30 days ago) to beforeDate (default 30 days later), at most 90 days. */
function usageRange(window: z.infer<typeof usageWindow>, now: number): { from: number; before: number } {
  const today = Date.parse(new Date(now).toISOString().slice(0, 10));
  const from = window.startDate ? Date.parse(window.startDate) : today - 30 * dayMs;
  const before = window.beforeDate ? Date.parse(window.beforeDate) : from + 30 * dayMs + (window.startDate ? 0 : dayMs);
  if (before <= from || before - from > maxUsageDays * dayMs) {
    throw new GatewayError('INVALID_INPUT', `beforeDate must be after startDate and at most ${maxUsageDays} days later`, { details: { field: 'beforeDate' } });
  }
  return { from, before };
}

/**
 * Runway's public API under /runway, so Runway's own SDK works with only a new base URL: tasks (video, image and
 * audio), uploads, avatars, documents, realtime sessions and the organization. Behind the tasks run every provider,
 * test mode, credits and webhooks.
 */
export function runwayRoutes(dependencies: RunwaySurfaceDependencies, connections: RealtimeConnections): FastifyPluginAsyncZod {
  const { accounts, accountStatus, service } = dependencies;
  return async (app) => {
    app.setErrorHandler(runwayErrorHandler);
    app.setNotFoundHandler((request, reply) => sendRunwayError(reply, new GatewayError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`)));
    app.addHook('onRequest', requireRedis(dependencies.connectivity, sendRunwayError));
    const apiKeyCheck = requireApiKey(accounts, sendRunwayError);
    app.addHook('preHandler', (request, reply) => (request.routeOptions.config.authenticatesItself ? Promise.resolve() : apiKeyCheck(request, reply)));
    app.addHook('preHandler', requireRunwayVersion);
    app.addHook('onSend', addRateLimitHeaders(accountStatus));

    const accountProvider = async (accountId: string) => (await dependencies.runwayAccounts.provider(accountId)) ?? defaultProvider;

    for (const endpoint of Object.keys(runwayTaskBodies) as RunwayTaskEndpoint[]) {
      app.post(`/v1/${endpoint}`, { schema: { summary: `Runway-compatible ${endpoint}`, tags: ['Runway-compatible'], body: runwayTaskBodies[endpoint] } }, async (request) => {
        const provider = typeof request.headers[providerHeader] === 'string' ? String(request.headers[providerHeader]) : await accountProvider(request.caller!.accountId);
        const { generation, rateLimit } = await service.create(request.caller!, runwayBodyToRequest(endpoint, request.body, provider));
        request.rateLimit = rateLimit;
        return { id: generation.id, estimatedCost: { credits: generation.mode === 'live' ? generation.creditCost : 0 } };
      });
    }

    app.get('/v1/tasks/:id', { schema: { summary: 'A task, by id', tags: ['Runway-compatible'], params: taskParams } }, async (request) => {
      const generation = await service.get(request.caller!, request.params.id);
      return runwayTaskView(generation, generation.status === 'QUEUED' && (await dependencies.slots.isWaiting(generation)));
    });

    app.get('/v1/tasks/:id/events', { schema: { summary: 'A task as it changes (server-sent events)', tags: ['Runway-compatible'], params: taskParams } }, (request, reply) =>
      streamGeneration(request, reply, request.params.id, { dependencies, connections, render: runwayTaskView, renderError: runwayErrorBody }),
    );

    app.delete('/v1/tasks/:id', { schema: { summary: 'Cancel a task', tags: ['Runway-compatible'], params: taskParams } }, async (request, reply) => {
      await service.cancel(request.caller!, request.params.id);
      return reply.code(204).send();
    });

    app.get('/v1/organization', { schema: { summary: 'Credit balance and limits', tags: ['Runway-compatible'] } }, async (request) => {
      const account = await accounts.get(request.caller!.accountId);
      if (!account) throw new GatewayError('UNAUTHENTICATED', 'the account for this API key no longer exists');
      return {
        creditBalance: account.credits,
        tier: { maxMonthlyCreditSpend: 0, models: { '*': { maxConcurrentGenerations: account.limits.concurrent, maxDailyGenerations: account.limits.perDay || null } } },
        usage: { models: {} },
      };
    });

    app.post('/v1/organization/usage', { schema: { summary: 'Credits spent per day and model (up to 90 days)', tags: ['Runway-compatible'], body: usageWindow.optional() } }, async (request) => {
      const { from, before } = usageRange(request.body ?? {}, Date.now());
      const results = await accountStatus.usageByModel(request.caller!.accountId, from, before);
      return { models: [...new Set(results.flatMap((day) => day.usedCredits.map((used) => used.model)))], results };
    });

    await app.register(runwayUploadRoutes(dependencies));
    await app.register(runwayResourceRoutes(dependencies));
  };
}
