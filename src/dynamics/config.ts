/**
 * Dynamics model config (Genie §2, App. C.3): a MaskGIT ST-transformer over tokenizer tokens with
 * stop-gradient latent-action embeddings added to the frame they lead to. Defaults: the 2.5B
 * robotics size chosen on the paper's scaling trend (see docs/models.md).
 */
import { bool, int, num, section, str, type ConfigOf } from '../config/schema.ts';
import { dataSection, stSection, trainSection } from '../world/sections.ts';

export const DynamicsModelSchema = section(
  {
    vocab: int(1024, "tokenizer codebook size (the token vocabulary)", { min: 2 }),
    gridH: int(32, 'token rows per frame (frame height / tokenizer patch)', { min: 1 }),
    gridW: int(40, 'token columns per frame (frame width / tokenizer patch)', { min: 1 }),
    frames: int(16, 'clip length T', { min: 2 }),
    actions: int(8, 'latent action codes |A| (the LAM codebook size)', { min: 2 }),
    actionDim: int(32, 'latent action vector size (the LAM code dimension)', { min: 1 }),
    body: stSection(24, 2560, 20, 'ST-transformer'),
    spatialInit: str('normal', "start of the learned spatial position table: 'normal' N(0, 0.02²), or 'sincos2d' (the grid's 2-D sine/cosine table, so neighbouring tokens start alike; same parameters)", ['normal', 'sincos2d'] as const),
    spatialBias: bool(false, 'spatial attention adds a learned bias per head for the key\'s row and column offset from the query (makes "the token one cell to the left" easy to attend to; runs the stock attention kernels)'),
    actionGain: num(1, 'the latent action vectors are multiplied by this before their projection (a louder action input and a faster-learning projection under Adam)', { min: 0 }),
    maskMin: num(0.5, 'lower end of the per-sequence mask rate U(maskMin, 1)', { min: 0, max: 1 }),
    actionDropout: num(0, "training: probability that a clip's latent actions are replaced by the null action (zero vectors), so the same model also predicts without actions and the sampler can use classifier-free guidance (0 = the paper's training)", { min: 0, max: 0.9 }),
    changeWeight: num(1, "training loss weight of a masked token whose id differs from the previous frame's at its position, relative to an unchanged one (1 = the paper's plain mean; > 1 spends the loss on what moved)", { min: 1 }),
  },
  'model',
);

export const SamplerSchema = section(
  {
    steps: int(25, 'MaskGIT steps per generated frame', { min: 1 }),
    temperature: num(2, 'sampling temperature (Genie: 2); annealed by the schedule', { min: 0 }),
    schedule: str('cosine', 'fraction of tokens left masked after each step', ['cosine', 'linear'] as const),
    anneal: str('linear', "per-step temperature: 'linear' = temperature·(1 − progress) (Jafar), 'none' = constant", ['linear', 'none'] as const),
    guidance: num(0, 'classifier-free guidance weight w on the latent actions: logits = cond + w·(cond − null-action logits); needs a model trained with model.actionDropout > 0 (0 = off, as in the paper)', { min: 0 }),
    topP: num(1, 'nucleus sampling: draw only among the likeliest tokens that together hold this probability (1 = all tokens, as in the paper)', { min: 0, max: 1 }),
  },
  'MaskGIT sampler',
);

export const DynamicsSchema = section({
  model: DynamicsModelSchema,
  sampler: SamplerSchema,
  train: trainSection({ steps: 200000, batch: 8, lr: 3e-4, warmup: 5000 }),
  data: dataSection(),
});

export type DynamicsModelConfig = ConfigOf<typeof DynamicsModelSchema>;
export type SamplerConfig = ConfigOf<typeof SamplerSchema>;
export type DynamicsConfig = ConfigOf<typeof DynamicsSchema>;
