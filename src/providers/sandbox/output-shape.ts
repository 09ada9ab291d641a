import type { GenerationType } from '../../shared/media-request.ts';
import { speechSeconds } from '../shared/option-helpers.ts';
import type { GenerationRequest } from '../spec.ts';

export interface OutputShape {
  kind: 'image' | 'video' | 'audio';
  width: number;
  height: number;
  seconds: number;
}

const defaultAspect: Record<GenerationType, string> = { IMAGE: '1:1', VIDEO: '16:9', AVATAR: '16:9', AUDIO: '1:1' };
/** Long side of images made from an aspect ratio; explicit pixel sizes are kept exactly. */
const imageLongSide = 1024;
/** Long side of sandbox videos: small, so encoding on the worker stays well under a second. */
const videoLongSide = 640;
const maxImageSide = 4096;

/**
 * Reads the output a request asks for from the options providers have in common
 * (`aspectRatio`/`ratio`, `width`/`height`, `duration`), whatever provider it names.
 */
export function outputShapeOf(request: GenerationRequest): OutputShape {
  const { options, type } = request;
  const ratio = String(options.aspectRatio ?? options.ratio ?? defaultAspect[type]);
  const [ratioWidth, ratioHeight] = ratio.split(':').map(Number) as [number, number];
  if (type === 'AUDIO') return { kind: 'audio', width: 0, height: 0, seconds: secondsOf(options.duration) ?? speechSeconds(request.input.text) };
  if (type === 'IMAGE') {
    const explicit =
      typeof options.width === 'number' && typeof options.height === 'number' ? [options.width, options.height] : isPixelSize(ratioWidth, ratioHeight) ? [ratioWidth, ratioHeight] : null;
    const [width, height] = explicit ?? fitLongSide(ratioWidth, ratioHeight, imageLongSide, 1);
    return { kind: 'image', width: Math.min(width!, maxImageSide), height: Math.min(height!, maxImageSide), seconds: 0 };
  }
  const [width, height] = fitLongSide(ratioWidth, ratioHeight, videoLongSide, 2);
  const seconds = secondsOf(options.duration) ?? (type === 'AVATAR' ? speechSeconds(request.input.text) : 5);
  return { kind: 'video', width, height, seconds };
}

/** Runway-style ratios such as 1360:768 are pixel sizes; 16:9 is a shape. */
const isPixelSize = (width: number, height: number) => width >= 64 && height >= 64;

function fitLongSide(ratioWidth: number, ratioHeight: number, longSide: number, multiple: number): [number, number] {
  const valid = ratioWidth > 0 && ratioHeight > 0;
  const [w, h] = valid ? [ratioWidth, ratioHeight] : [1, 1];
  const scale = longSide / Math.max(w, h);
  const round = (value: number) => Math.max(multiple, Math.round((value * scale) / multiple) * multiple);
  return [round(w), round(h)];
}

function secondsOf(value: unknown): number | undefined {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) : undefined;
}
