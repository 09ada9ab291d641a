import type { Palette } from './palette.ts';
import { renderMp4, renderPng, renderWav } from './render-media.ts';

/** A sandbox output to make, as it crosses into the render thread. */
export type RenderJob =
  | { kind: 'image'; width: number; height: number; palette: Palette }
  | { kind: 'audio'; seconds: number; palette: Palette }
  | { kind: 'video'; width: number; height: number; seconds: number; palette: Palette };

/** Runs in a worker thread (see render-pool.ts): encoding is CPU work that would otherwise stall the event loop. */
export default async function renderJob(job: RenderJob): Promise<Uint8Array> {
  if (job.kind === 'image') return renderPng(job.width, job.height, job.palette);
  if (job.kind === 'audio') return renderWav(job.seconds, job.palette);
  return renderMp4(job.width, job.height, job.seconds, job.palette);
}
