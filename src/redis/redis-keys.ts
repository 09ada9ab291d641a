/** Every Redis key genway writes, under one prefix so several deployments or test files can share a server. */
export function redisKeys(prefix: string) {
  return {
    prefix,
    /** BullMQ names its own keys under this prefix. */
    bullPrefix: `${prefix}-bull`,
    account: (accountId: string) => `${prefix}:account:${accountId}`,
    accountGenerations: (accountId: string) => `${prefix}:account:${accountId}:generations`,
    ledger: (accountId: string) => `${prefix}:account:${accountId}:ledger`,
    minuteWindow: (accountId: string) => `${prefix}:account:${accountId}:rate:minute`,
    dayCounter: (accountId: string, day: string) => `${prefix}:account:${accountId}:rate:day:${day}`,
    runningSlots: (accountId: string) => `${prefix}:account:${accountId}:slots`,
    waitingForSlot: (accountId: string) => `${prefix}:account:${accountId}:waiting`,
    usage: (accountId: string, day: string) => `${prefix}:account:${accountId}:usage:${day}`,
    idempotency: (accountId: string, keyHash: string) => `${prefix}:idempotency:${accountId}:${keyHash}`,
    accountIndex: () => `${prefix}:accounts`,
    /** Set once by the process that creates the dev account on a first start. */
    devAccountClaim: () => `${prefix}:dev-account`,
    /** The address the API last announced, for workers started without PUBLIC_URL to build output links from. */
    announcedPublicUrl: () => `${prefix}:api:public-url`,
    apiKey: (keyHash: string) => `${prefix}:apikey:${keyHash}`,
    /** Pub/sub channel on which an account whose keys, limits or standing changed is announced, so caches forget it. */
    accountChanges: () => `${prefix}:events:account-changes`,
    generation: (generationId: string) => `${prefix}:generation:${generationId}`,
    /** An upstream route's slots (its vendor's limit on tasks at once), shared by every provider that runs on it. */
    upstreamSlots: (route: string) => ({ running: `${prefix}:upstream:${route}:slots`, waiting: `${prefix}:upstream:${route}:waiting` }),
    /** A route's circuit breaker and its recent outcomes and latencies. */
    routeHealth: (provider: string, route: string) => ({
      circuit: `${prefix}:route:${provider}/${route}:circuit`,
      outcomes: `${prefix}:route:${provider}/${route}:outcomes`,
      latencies: `${prefix}:route:${provider}/${route}:latencies`,
    }),
    /** Pub/sub channel on which every change to one of the account's generations is announced by its id. */
    generationEvents: (accountId: string) => `${prefix}:events:account:${accountId}`,
    /** A file a client uploaded (Runway's ephemeral uploads), with its owner; it expires with the file's lifetime. */
    upload: (uploadId: string) => `${prefix}:upload:${uploadId}`,
    /** Avatars, documents and realtime sessions (Runway's resources) of one account, by kind, as JSON by id. */
    runwayResources: (accountId: string, kind: string) => ({ bodies: `${prefix}:account:${accountId}:runway:${kind}` }),
    /** Which account a realtime session belongs to, for `consume`, which authenticates with the session's key alone. */
    realtimeSessionOwner: (sessionId: string) => `${prefix}:realtime-session:${sessionId}`,
    /** Set once a live realtime session's charge is settled, so it is settled once. */
    realtimeSessionSettled: (sessionId: string) => `${prefix}:realtime-session:${sessionId}:settled`,
    webhookDeliveries: (generationId: string) => `${prefix}:generation:${generationId}:webhooks`,
    disabledWebhookUrls: (accountId: string) => `${prefix}:account:${accountId}:webhooks:disabled`,
    /** A webhook receiver origin's deliveries in flight (job id -> lease end) and those waiting for one of its slots. */
    webhookDestinationSlots: (origin: string) => ({ running: `${prefix}:webhook-destination:${origin}:slots`, waiting: `${prefix}:webhook-destination:${origin}:waiting` }),
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
