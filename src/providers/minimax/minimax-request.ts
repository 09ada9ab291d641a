import type { GenerationRequest, InputProblem } from '../spec.ts';
import { isHailuo, type MinimaxOptions, resolutionOf } from './minimax-options.ts';

/** MiniMax makes 1080p at 6 seconds only; the catalog lets the seeds' 10-second 1080p example through for the sandbox. */
const fullHdSeconds = 6;

export function checkMinimaxRoute({ options }: GenerationRequest<MinimaxOptions>): InputProblem | null {
  if (resolutionOf(options) === '1080p' && options.duration !== fullHdSeconds) return { field: 'options.duration', message: `MiniMax makes 1080p at ${fullHdSeconds} seconds only` };
  return null;
}

/** The body of `POST /v1/video_generation` (MiniMax's video generation reference). */
export function buildMinimaxTask({ input, options }: GenerationRequest<MinimaxOptions>) {
  const prompt = options.style ? `${options.style} style. ${input.text ?? ''}` : input.text;
  const subject = options.model === 'S2V-01' && input.image;
  return {
    model: options.model,
    prompt,
    prompt_optimizer: options.promptOptimizer,
    duration: options.duration,
    // MiniMax spells resolutions with a capital P.
    ...(isHailuo(options.model) ? { resolution: resolutionOf(options).toUpperCase() } : {}),
    ...(input.image && !subject ? { first_frame_image: input.image } : {}),
    ...(input.endImage ? { last_frame_image: input.endImage } : {}),
    ...(subject ? { subject_reference: [{ type: 'character', image: [input.image] }] } : {}),
  };
}
