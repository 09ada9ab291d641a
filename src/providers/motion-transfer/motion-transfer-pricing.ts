import type { GenerationRequest, Quote } from '../spec.ts';
import { type MotionTransferOptions, motionTransferLimits } from './motion-transfer-options.ts';

/** US$ per second of output at 720p (fal's Wan 2.2 Animate list, $0.08/s; lower resolutions less). The length follows the reference video, so the reservation takes the longest. */
const usdPerSecond = { '480p': 0.04, '580p': 0.06, '720p': 0.08 };

export function quoteMotionTransfer({ options }: GenerationRequest<MotionTransferOptions>): Quote {
  return { usd: usdPerSecond[options.resolution] * motionTransferLimits.maxVideoSeconds, estimatedSeconds: 180, model: options.model };
}
