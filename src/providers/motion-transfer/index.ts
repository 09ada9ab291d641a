import { defineProvider } from '../spec.ts';
import { checkMotionTransferInput, type MotionTransferOptions, motionTransferLimits, motionTransferModels, motionTransferOptionsSchema } from './motion-transfer-options.ts';
import { quoteMotionTransfer } from './motion-transfer-pricing.ts';

/** No vendor API of its own here: fal and Replicate host Wan 2.2 Animate. */
export const motionTransferProvider = defineProvider<MotionTransferOptions>({
  id: 'motion-transfer',
  name: 'Motion transfer (Wan 2.2 Animate)',
  description: "Animates the person in an image with the motion of a reference video (a dance, a gesture): Alibaba's Wan 2.2 Animate in move mode.",
  types: ['VIDEO'],
  models: [...motionTransferModels],
  features: ['Character image plus reference dance video', 'Keeps the character, copies the motion'],
  limitations: ['Needs input.image (the character) and input.video (the motion)', `Reference video up to ${motionTransferLimits.maxVideoSeconds} seconds`],
  qualityScore: 7,
  optionsSchema: motionTransferOptionsSchema,
  checkInput: checkMotionTransferInput,
  quote: quoteMotionTransfer,
  polling: { initialDelayMs: 15_000, intervalMs: 5000, maxIntervalMs: 30_000 },
  routes: [],
});
