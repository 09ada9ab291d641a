import { move } from 'piscina';
import type { Palette } from './palette.ts';
import { renderMp4, renderPng, renderWav } from './render-media.ts';

/** A sandbox output to make, as it crosses into the render thread. */
export type RenderJob =
  | { kind: 'image'; width: number; height: number; palette: Palette }
  | { kind: 'audio'; seconds: number; palette: Palette }
  | { kind: 'video'; width: number; height: number; seconds: number; palette: Palette };

/**
 * Runs in a worker thread (see render-pool.ts): encoding is CPU work that would otherwise stall the event loop.
 * The caller receives the Uint8Array itself; the wrapper only tells piscina to move it.
 */
export default async function renderJob(job: RenderJob): Promise<ReturnType<typeof move>> {
  return transferable(await render(job));
}

function render(job: RenderJob): Uint8Array | Promise<Uint8Array> {
  if (job.kind === 'image') return renderPng(job.width, job.height, job.palette);
  if (job.kind === 'audio') return renderWav(job.seconds, job.palette);
  return renderMp4(job.width, job.height, job.seconds, job.palette);
}

/**
 * The output's memory moves to the calling thread instead of being copied there. Only a view that owns its whole buffer
 * may move: a small Buffer is a slice of Node's shared pool, which moving would take from every other Buffer on it.
 */
function transferable(bytes: Uint8Array): ReturnType<typeof move> {
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  return move(owned);
}
