import { z } from 'zod';
import { GatewayError } from '../../../errors/gateway-error.ts';

const dayMs = 24 * 60 * 60_000;
const maxDays = 90;

/** `GET /v1/avatar_usage`: an ISO start (inclusive) and end (exclusive), at most 90 days apart. */
export const avatarUsageQuery = z.object({ startDate: z.iso.datetime({ offset: true }).or(z.iso.date()), endDate: z.iso.datetime({ offset: true }).or(z.iso.date()) });
export type AvatarUsageQuery = z.infer<typeof avatarUsageQuery>;

/** A conversation as usage counts it: when it started, and how long it ran once it ended. */
export interface ConversationRecord {
  createdAt: number;
  seconds?: number;
}

/** Runway's avatar usage shape: totals, and every UTC day of the range, with zeroes for days without sessions. */
export function avatarUsage(conversations: ConversationRecord[], query: AvatarUsageQuery) {
  const from = Date.parse(query.startDate);
  const to = Date.parse(query.endDate);
  if (!(to > from) || to - from > maxDays * dayMs) {
    throw new GatewayError('INVALID_INPUT', `endDate must be after startDate and at most ${maxDays} days later`, { details: { field: 'endDate' } });
  }
  const inRange = conversations.filter((conversation) => conversation.createdAt >= from && conversation.createdAt < to);
  const byDay = new Map<string, { date: string; seconds: number; sessions: number }>();
  for (let day = Math.floor(from / dayMs) * dayMs; day < to; day += dayMs) {
    const date = new Date(day).toISOString().slice(0, 10);
    byDay.set(date, { date, seconds: 0, sessions: 0 });
  }
  for (const conversation of inRange) {
    const day = byDay.get(new Date(conversation.createdAt).toISOString().slice(0, 10))!;
    day.sessions++;
    day.seconds += conversation.seconds ?? 0;
  }
  const measured = inRange.filter((conversation) => conversation.seconds !== undefined);
  const totalSeconds = measured.reduce((sum, conversation) => sum + conversation.seconds!, 0);
  return { totalSeconds, totalSessions: inRange.length, avgDurationSeconds: measured.length ? totalSeconds / measured.length : 0, byDay: [...byDay.values()] };
}
