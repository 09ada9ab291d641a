import type { PollResult } from '../spec.ts';

/** BFL's terminal statuses other than Ready (its errors page) and what they mean for the client. */
export const bflFailureStatuses: Record<string, Extract<PollResult, { status: 'failed' }>> = {
  'Request Moderated': { status: 'failed', code: 'CONTENT_MODERATION', message: 'Black Forest Labs refused the request on moderation grounds', retryable: false },
  'Content Moderated': { status: 'failed', code: 'CONTENT_MODERATION', message: 'Black Forest Labs withheld the image on moderation grounds', retryable: false },
  Error: { status: 'failed', code: 'GENERATION_FAILED', message: 'Black Forest Labs failed to make the image', retryable: true },
  'Task not found': { status: 'failed', code: 'GENERATION_FAILED', message: 'Black Forest Labs no longer knows the task', retryable: true, resubmit: true },
};
