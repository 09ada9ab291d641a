import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { createFile, type Movie } from 'mp4box';
import { parseBuffer } from 'music-metadata';
import type { MediaMetadata } from './media-metadata.ts';

const imageFormats = new Set(['png', 'jpg', 'webp', 'gif']);
const videoFormats = new Set(['mp4', 'mov', 'm4v']);
const audioFormats = new Set(['wav', 'mp3', 'flac', 'm4a', 'aac', 'ogg']);

/** Reads what a file really is from its bytes: format by magic numbers, then size and length from its headers. */
export async function probeMedia(bytes: Uint8Array): Promise<MediaMetadata> {
  const detected = await fileTypeFromBuffer(bytes);
  const format = detected?.ext ?? 'bin';
  const base: MediaMetadata = { format, contentType: detected?.mime ?? 'application/octet-stream', sizeBytes: bytes.byteLength };
  if (imageFormats.has(format)) {
    const { width, height } = imageSize(bytes);
    return withResolution({ ...base, width, height });
  }
  if (videoFormats.has(format)) return withResolution({ ...base, ...(await probeMp4(bytes)) });
  if (audioFormats.has(format)) {
    const { format: audio } = await parseBuffer(bytes, { mimeType: base.contentType, size: bytes.byteLength }, { duration: true });
    return { ...base, duration: roundSeconds(audio.duration) };
  }
  return base;
}

function withResolution(metadata: MediaMetadata): MediaMetadata {
  return metadata.width && metadata.height ? { ...metadata, resolution: `${metadata.width}x${metadata.height}` } : metadata;
}

const roundSeconds = (seconds: number | undefined) => (seconds === undefined ? undefined : Math.round(seconds * 1000) / 1000);

function probeMp4(bytes: Uint8Array): Promise<Pick<MediaMetadata, 'width' | 'height' | 'duration'>> {
  return new Promise((resolve) => {
    const file = createFile();
    file.onReady = (movie: Movie) => {
      const video = movie.tracks.find((track) => track.video);
      resolve({ width: video?.video?.width, height: video?.video?.height, duration: roundSeconds(movie.duration / movie.timescale) });
    };
    file.onError = () => resolve({});
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer & { fileStart: number };
    buffer.fileStart = 0;
    file.appendBuffer(buffer);
    file.flush();
    resolve({});
  });
}
