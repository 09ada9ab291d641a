/** What one Runway endpoint takes from one model, as the SDK's types say (scripts/runway-catalog.mjs). */
export interface RunwayCatalogEntry {
  /** Every body field the endpoint takes from this model. */
  fields: readonly string[];
  /** The `ratio` values it takes (pixel sizes such as 1280:720, or shapes such as 16:9). */
  ratios?: { values: readonly string[]; required: boolean };
  /** `duration`: listed seconds, or any number (Runway checks the range), and whether `auto` is allowed. */
  durations?: { values: readonly number[]; anyNumber: boolean; auto: boolean; required: boolean };
  resolutions?: readonly string[];
}

export type RunwayCatalog = Record<string, Partial<Record<string, RunwayCatalogEntry>>>;
