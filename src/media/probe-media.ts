import { open } from 'node:fs/promises';
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { createFile, type Movie } from 'mp4box';
import { parseBuffer, parseFile } from 'music-metadata';
import type { MediaMetadata } from './media-metadata.ts';

const imageFormats = new Set(['png', 'jpg', 'webp', 'gif']);
const videoFormats = new Set(['mp4', 'mov', 'm4v']);
const audioFormats = new Set(['wav', 'mp3', 'flac', 'm4a', 'aac', 'ogg']);

/** What file-type reads to tell a format. */
const signatureBytes = 4100;
/** Images are read whole to find their size, up to this; a larger one keeps its format and size in bytes only. */
const maxImageBytes = 64 * 1024 * 1024;

/** Random access to a file's bytes, in memory or on disk: probing reads only the parts it needs. */
interface MediaSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  audio(mimeType: string): ReturnType<typeof parseBuffer>;
}

const memorySource = (bytes: Uint8Array): MediaSource => ({
  size: bytes.byteLength,
  read: async (offset, length) => bytes.subarray(offset, offset + length),
  audio: (mimeType) => parseBuffer(bytes, { mimeType, size: bytes.byteLength }, { duration: true }),
});

/** Reads what a file really is from its bytes: format by magic numbers, then size and length from its headers. */
export function probeMedia(bytes: Uint8Array): Promise<MediaMetadata> {
  return probe(memorySource(bytes));
}

/** The same for a file on disk, reading only its headers (an MP4's `moov`, not its media data): memory stays small. */
export async function probeMediaFile(path: string): Promise<MediaMetadata> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await probe({
      size,
      read: async (offset, length) => {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        await handle.read(buffer, 0, buffer.length, offset);
        return buffer;
      },
      audio: () => parseFile(path, { duration: true }),
    });
  } finally {
    await handle.close();
  }
}

async function probe(source: MediaSource): Promise<MediaMetadata> {
  const detected = await fileTypeFromBuffer(await source.read(0, signatureBytes));
  const format = detected?.ext ?? 'bin';
  const base: MediaMetadata = { format, contentType: detected?.mime ?? 'application/octet-stream', sizeBytes: source.size };
  if (imageFormats.has(format) && source.size <= maxImageBytes) {
    const { width, height } = imageSize(await source.read(0, source.size));
    return withResolution({ ...base, width, height });
  }
  if (videoFormats.has(format)) return withResolution({ ...base, ...(await probeMp4(source)) });
  if (audioFormats.has(format)) {
    const { format: audio } = await source.audio(base.contentType);
    return { ...base, duration: roundSeconds(audio.duration) };
  }
  return base;
}

function withResolution(metadata: MediaMetadata): MediaMetadata {
  return metadata.width && metadata.height ? { ...metadata, resolution: `${metadata.width}x${metadata.height}` } : metadata;
}

const roundSeconds = (seconds: number | undefined) => (seconds === undefined ? undefined : Math.round(seconds * 1000) / 1000);

/** The top-level boxes an MP4's track facts live in; `mdat` (the media itself) is skipped, wherever `moov` is. */
const headerBoxes = new Set(['ftyp', 'moov']);

async function* topLevelBoxes(source: MediaSource): AsyncGenerator<{ type: string; offset: number; size: number }> {
  for (let offset = 0; offset + 8 <= source.size; ) {
    const header = Buffer.from(await source.read(offset, 16));
    const type = header.toString('latin1', 4, 8);
    const declared = header.readUInt32BE(0);
    const size = declared === 1 ? Number(header.readBigUInt64BE(8)) : declared === 0 ? source.size - offset : declared;
    if (size < 8) return;
    yield { type, offset, size };
    offset += size;
  }
}

/** Track facts from `ftyp` and `moov` laid end to end: mp4box reads boxes in order and needs nothing from `mdat`. */
async function probeMp4(source: MediaSource): Promise<Pick<MediaMetadata, 'width' | 'height' | 'duration'>> {
  const parts: Uint8Array[] = [];
  for await (const box of topLevelBoxes(source)) if (headerBoxes.has(box.type)) parts.push(await source.read(box.offset, box.size));
  const joined = Buffer.concat(parts);
  const buffer = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer & { fileStart: number };
  buffer.fileStart = 0;
  const file = createFile();
  let facts: Pick<MediaMetadata, 'width' | 'height' | 'duration'> = {};
  file.onReady = (movie: Movie) => {
    const video = movie.tracks.find((track) => track.video);
    facts = { width: video?.video?.width, height: video?.video?.height, duration: roundSeconds(movie.duration / movie.timescale) };
  };
  file.appendBuffer(buffer);
  file.flush();
  return facts;
}
