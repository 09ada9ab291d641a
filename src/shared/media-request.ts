/** The vocabulary of a generation request that the gateway and its providers share. */
export const generationTypes = ['VIDEO', 'IMAGE', 'AUDIO', 'AVATAR'] as const;
export type GenerationType = (typeof generationTypes)[number];

/** What the client asks to generate from; every field is optional, providers say what they need. */
export interface GenerationInput {
  text?: string;
  negativePrompt?: string;
  image?: string;
  endImage?: string;
  video?: string;
  audio?: string;
  voice?: string;
  references?: string[];
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
