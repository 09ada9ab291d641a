import { createHash } from 'node:crypto';

export interface Palette {
  from: [number, number, number];
  to: [number, number, number];
  accent: [number, number, number];
  /** 0..1, how fast things move in video and how high tones sit in audio. */
  tempo: number;
  bytes: Buffer;
}

/** Everything the sandbox draws or plays is derived from a hash of prompt and seed, so the same request makes the same file. */
export function paletteFor(prompt: string, seed: number): Palette {
  const bytes = createHash('sha256').update(`${seed}\u0000${prompt}`).digest();
  const color = (offset: number): [number, number, number] => [bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!];
  return { from: color(0), to: color(3), accent: color(6), tempo: bytes[9]! / 255, bytes };
}

/** Fills one RGBA frame: a diagonal gradient with a disc that travels with `phase` (0..1). */
export function paintFrame(target: Uint8Array, width: number, height: number, palette: Palette, phase: number): void {
  const { from, to, accent } = palette;
  const discX = width * (0.2 + 0.6 * ((phase + palette.tempo) % 1));
  const discY = height * (0.5 + 0.25 * Math.sin(2 * Math.PI * phase));
  const radiusSquared = (Math.min(width, height) * 0.15) ** 2;
  const span = width + height;
  let offset = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const mix = (x + y) / span;
      const inDisc = (x - discX) ** 2 + (y - discY) ** 2 < radiusSquared;
      for (let channel = 0; channel < 3; channel++) {
        target[offset + channel] = inDisc ? accent[channel]! : Math.round(from[channel]! + (to[channel]! - from[channel]!) * mix);
      }
      target[offset + 3] = 255;
      offset += 4;
    }
  }
}
