/** What we can read back from a stored output file. Durations in seconds. */
export interface MediaMetadata {
  format: string;
  contentType: string;
  sizeBytes: number;
  width?: number;
  height?: number;
  duration?: number;
  resolution?: string;
}
