import { PNG } from 'pngjs';
import * as wavefileModule from 'wavefile';
import { type Palette, paintFrame } from './palette.ts';

/**
 * `PNG.sync.write` reads only these fields. A `new PNG()` would also make a parser stream that asks for input on the
 * next tick and holds the pixels until that tick runs.
 */
type PixelImage = Pick<PNG, 'width' | 'height' | 'data' | 'gamma'>;

export function renderPng(width: number, height: number, palette: Palette): Uint8Array {
  const image: PixelImage = { width, height, data: Buffer.alloc(width * height * 4), gamma: 0 };
  paintFrame(image.data, width, height, palette, 0);
  return PNG.sync.write(image as PNG);
}

/** Frame rate of sandbox videos: low, because encoding runs on the worker's CPU and the content is synthetic. */
export const sandboxFrameRate = 12;

type EncoderModule = { createH264MP4Encoder: typeof import('h264-mp4-encoder').createH264MP4Encoder };
let encoderModule: Promise<EncoderModule> | null = null;

/**
 * The encoder is an Emscripten build that, when imported, installs process-wide handlers that turn any
 * unhandled rejection into an abort. Load it only when a video is first made, and take those handlers off.
 */
function loadEncoder(): Promise<EncoderModule> {
  encoderModule ??= (async () => {
    const events = ['uncaughtException', 'unhandledRejection'];
    const before = new Map(events.map((event) => [event, new Set(process.listeners(event as 'uncaughtException'))]));
    const loaded = (await import('h264-mp4-encoder')) as unknown as EncoderModule & { default?: EncoderModule };
    for (const event of events) {
      for (const listener of process.listeners(event as 'uncaughtException')) if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
    return loaded.default ?? loaded;
  })();
  return encoderModule;
}

/** An H.264 MP4 (baseline profile, playable everywhere) of `seconds` length. Width and height must be even. */
export async function renderMp4(width: number, height: number, seconds: number, palette: Palette): Promise<Uint8Array> {
  const encoder = await (await loadEncoder()).createH264MP4Encoder();
  try {
    encoder.width = width;
    encoder.height = height;
    encoder.frameRate = sandboxFrameRate;
    encoder.quantizationParameter = 33;
    encoder.speed = 10;
    encoder.initialize();
    const frame = new Uint8Array(width * height * 4);
    const frames = Math.round(seconds * sandboxFrameRate);
    for (let index = 0; index < frames; index++) {
      paintFrame(frame, width, height, palette, index / frames);
      encoder.addFrameRgba(frame);
    }
    encoder.finalize();
    const video = encoder.FS.readFile(encoder.outputFilename);
    // Every encoder of the module writes the same file in its in-memory file system: the last video would stay there.
    encoder.FS.unlink(encoder.outputFilename);
    return video;
  } finally {
    encoder.delete();
  }
}

/** wavefile ships CommonJS (with a UMD wrapper) beside an ES module: loaders disagree on which export holds the class. */
const { WaveFile } = 'WaveFile' in wavefileModule ? wavefileModule : (wavefileModule as unknown as { default: typeof wavefileModule }).default;

const sampleRate = 22_050;

/** A 16-bit mono WAV: a short melody whose notes come from the palette, with soft note edges. */
export function renderWav(seconds: number, palette: Palette): Uint8Array {
  const samples = new Int16Array(Math.round(seconds * sampleRate));
  const noteLength = Math.round(sampleRate * (0.18 + 0.2 * palette.tempo));
  for (let index = 0; index < samples.length; index++) {
    const note = Math.floor(index / noteLength);
    const frequency = 220 * 2 ** ((palette.bytes[note % palette.bytes.length]! % 24) / 12);
    const withinNote = (index % noteLength) / noteLength;
    const envelope = Math.min(1, withinNote * 10, (1 - withinNote) * 10);
    samples[index] = Math.round(9000 * envelope * Math.sin((2 * Math.PI * frequency * index) / sampleRate));
  }
  return wavFromSamples(samples, sampleRate);
}

function wavFromSamples(samples: Int16Array, rate: number): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(1, rate, '16', samples);
  return wav.toBuffer();
}

/** Raw 16-bit little-endian mono PCM (what speech APIs answer for `pcm_*` formats) as a playable WAV file. */
export function pcmToWav(pcm: Uint8Array, rate: number): Uint8Array {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength - (pcm.byteLength % 2));
  const samples = new Int16Array(view.byteLength / 2);
  for (let index = 0; index < samples.length; index++) samples[index] = view.getInt16(index * 2, true);
  return wavFromSamples(samples, rate);
}
