/**
 * Video tokenizer config (Genie §2, App. C.2): an ST-ViViT VQ-VAE, causal in time.
 * Defaults are the paper's ~200M tokenizer; presets live in configs/tokenizer/.
 */
import { bool, int, num, section, type ConfigOf } from '../config/schema.ts';
import { dataSection, stSection, trainSection } from '../world/sections.ts';

export const TokenizerModelSchema = section(
  {
    height: int(64, 'frame height in pixels (a multiple of patch)', { min: 1 }),
    width: int(64, 'frame width in pixels (a multiple of patch)', { min: 1 }),
    channels: int(3, 'colour channels', { min: 1 }),
    frames: int(16, 'clip length T (temporal positions the model holds)', { min: 1 }),
    patch: int(4, 'square patch size in pixels', { min: 1 }),
    codes: int(1024, 'VQ codebook size', { min: 2 }),
    codeDim: int(32, 'VQ code dimension', { min: 1 }),
    encoder: stSection(12, 512, 8, 'encoder ST-transformer'),
    localEncoder: bool(
      false,
      "encode each patch from its own pixels only: encoder.layers token-wise MLP blocks, no attention and no positions (encoder.heads unused), so a patch that does not change keeps its token from frame to frame; not in the paper",
    ),
    decoder: stSection(20, 1024, 16, 'decoder ST-transformer'),
    commitment: num(0.25, 'VQ commitment loss weight β', { min: 0 }),
    resetAfter: int(50, 'reset codes unused for this many steps (0 = never)', { min: 0 }),
  },
  'model',
);

export const TokenizerSchema = section({
  model: TokenizerModelSchema,
  train: trainSection({ steps: 300000, batch: 8, lr: 3e-4, warmup: 10000 }),
  data: dataSection(),
});

export type TokenizerModelConfig = ConfigOf<typeof TokenizerModelSchema>;
export type TokenizerConfig = ConfigOf<typeof TokenizerSchema>;
