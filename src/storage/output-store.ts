/** Where finished outputs live. Local disk by default; an S3-compatible store can implement the same interface. */
export interface OutputStore {
  /** Stores `bytes` under `key` (e.g. `gen_x/0.mp4`) and returns the public URL clients download it from. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<string>;
  /** A fresh path to download an upstream output to before `putFile` (never served while it fills). */
  incomingPath(): string;
  /** Stores the file at `path` (from `incomingPath`) under `key`, taking it over, and returns its public URL. */
  putFile(key: string, path: string, contentType: string): Promise<string>;
}
