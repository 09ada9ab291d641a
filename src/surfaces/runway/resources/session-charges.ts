import type { Redis } from 'ioredis';
import type { AccountRepository } from '../../../billing/account-repository.ts';
import type { AccountStatus } from '../../../billing/account-status.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { RedisKeys } from '../../../redis/redis-keys.ts';

/** The model realtime sessions run on, as usage reports name it. */
const sessionModel = 'gwm1_avatars';
/** What the ledger says a session's reservation and refund were for. */
export const sessionChargeReference = (sessionId: string) => `${sessionModel}:${sessionId}`;

export interface SessionPricing {
  /** Credits for a session of this many seconds. */
  creditsFor(seconds: number): number;
  maxSeconds: number;
}

/**
 * A live realtime session reserves credits for its longest possible length when it starts; the first time it is
 * seen ended, the part it did not use is refunded (once, whichever process sees it).
 */
export class SessionCharges {
  constructor(
    private readonly accounts: Pick<AccountRepository, 'grantCredits'>,
    private readonly usage: Pick<AccountStatus, 'addModelUsage'>,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly pricing: SessionPricing,
  ) {}

  reservationFor(maxDuration: number | undefined): number {
    return this.pricing.creditsFor(Math.min(maxDuration ?? this.pricing.maxSeconds, this.pricing.maxSeconds));
  }

  async reserve(accountId: string, sessionId: string, credits: number): Promise<void> {
    const reserved = await this.accounts.grantCredits(accountId, -credits, { kind: 'reserve', reference: sessionChargeReference(sessionId) });
    if (!reserved.ok) {
      throw new GatewayError('INSUFFICIENT_CREDITS', 'Insufficient credits for this operation', {
        details: { creditsRequired: credits, creditsAvailable: 'credits' in reserved ? reserved.credits : 0 },
      });
    }
  }

  /** Gives back what an ended session did not use and counts what it did; `seconds` is how long it ran (0 when it never did). */
  async settle(accountId: string, sessionId: string, reserved: number, seconds: number): Promise<void> {
    const kept = Math.min(reserved, this.pricing.creditsFor(seconds));
    const first = await this.redis.set(this.keys.realtimeSessionSettled(sessionId), '1', 'PX', 7 * 24 * 60 * 60_000, 'NX');
    if (!first) return;
    if (reserved > kept) await this.accounts.grantCredits(accountId, reserved - kept, { kind: 'refund', reference: sessionChargeReference(sessionId) });
    if (kept > 0) await this.usage.addModelUsage(accountId, sessionModel, kept);
  }
}
