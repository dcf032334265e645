/**
 * lara's in-memory episode: what every reader returns and every writer takes.
 * Dimension legend: T steps, H x W image, C = 3 (RGB, uint8, row-major HWC).
 */

/** One camera's frames: T images, each H*W*3 bytes RGB. */
export interface CameraFrames {
  width: number;
  height: number;
  /** T frames, each Uint8Array of length height*width*3. */
  frames: Uint8Array[];
}

export interface Episode {
  /** Natural-language instruction ('' when none). */
  instruction: string;
  /** Camera name -> frames. Every camera has the same T. */
  cameras: Record<string, CameraFrames>;
  /** Step timestamps in seconds from the episode start, length T. */
  timestamps: number[];
  /** Native actions, T rows of actionDim (the action taken after observing frame t); absent for plain videos. */
  actions?: Float32Array[];
  /** Latent action codes, length T-1 (code of transition t -> t+1); absent until labelled. */
  latents?: Int32Array;
  /** Proprioceptive state, T rows, when known. */
  states?: Float32Array[];
  /** Free-form per-episode metadata (task, seed, success, source file, ...). */
  metadata: Record<string, unknown>;
}

/** Number of steps of an episode. */
export function episodeLength(e: Episode): number {
  return e.timestamps.length;
}
