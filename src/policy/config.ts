/**
 * Typed config of policies (presets in configs/policy/<name>.json). The latent policy and the BC
 * baselines share the encoder section; only the head differs.
 */
import { int, num, section, str, type ConfigOf } from '../config/schema.ts';
import { TrainSchema } from '../train/config.ts';

export const EncoderSchema = section({
  kind: str<'st' | 'keypoints'>('st', 'st: ST-transformer over patch tokens (flattened current-frame tokens); keypoints: spatial soft-argmax keypoints per frame (src/policy/keypoints.ts)', ['st', 'keypoints']),
  keypoints: int(32, 'keypoints encoder: number of keypoints K', { min: 1 }),
  frames: int(2, 'recent frames the policy sees (T, the current one last)', { min: 1 }),
  patch: int(8, 'patch size in pixels (image sides must be multiples)', { min: 1 }),
  width: int(64, 'token width D', { min: 8 }),
  layers: int(2, 'ST-transformer blocks', { min: 0 }),
  heads: int(4, 'attention heads (divide width)', { min: 1 }),
  mlpRatio: num(2, 'feed-forward width / D', { min: 0.25 }),
  vocab: int(256, 'hash buckets of the bag-of-words instruction encoding', { min: 1 }),
  stateDims: int(6, 'proprioceptive inputs: the first N state dims (tabletop-sim: the 6 gripper dims; 0 = images and instruction only)', { min: 0 }),
  hidden: int(128, 'width of the head MLP', { min: 1 }),
}, 'observation encoder (shared by the latent policy and BC)');

export const PolicyTrainSchema = section({
  ...TrainSchema.fields,
  steps: int(2000, 'optimizer steps in the whole run (a resumed run stops at the same total)', { min: 1 }),
  checkpointEvery: int(500, 'save a checkpoint every this many steps (and always at the end)', { min: 1 }),
  batch: int(32, 'samples per step', { min: 1 }),
  lr: num(1e-3, 'AdamW peak learning rate', { min: 0 }),
  warmup: int(100, 'linear warmup steps', { min: 0 }),
  weightDecay: num(1e-4, 'AdamW weight decay', { min: 0 }),
  augment: int(2, 'random image shift in pixels (0 = none)', { min: 0 }),
}, 'training');

export const PolicySchema = section({
  head: str<'latent' | 'regress'>('latent', 'latent: cross-entropy over LAM codes; regress: native actions (behaviour cloning)', ['latent', 'regress']),
  bins: int(0, 'BC only: 0 = MSE on normalised actions; n > 0 = every action dim classified into n uniform bins over the data range (cross-entropy, argmax decode; src/policy/bins.ts)', { min: 0 }),
  labelled: int(0, 'BC only: train on the first N labelled transitions by the seeded subset order (0 = all)', { min: 0 }),
  encoder: EncoderSchema,
  train: PolicyTrainSchema,
});
export type PolicyConfig = ConfigOf<typeof PolicySchema>;
export type EncoderConfig = ConfigOf<typeof EncoderSchema>;
