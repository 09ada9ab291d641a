/** Where finished outputs live. Local disk by default; an S3-compatible store can implement the same interface. */
export interface OutputStore {
  /** Stores `bytes` under `key` (e.g. `gen_x/0.mp4`) and returns the public URL clients download it from. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<string>;
}
