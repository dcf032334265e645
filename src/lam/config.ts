/**
 * Latent action model config (Genie §2, App. C.1). Defaults are the paper's ~300M LAM on raw
 * pixels with |A| = 8 codes; `input: 'tokens'` builds the ablation variant over tokenizer tokens.
 */
import { bool, int, num, section, str, type ConfigOf } from '../config/schema.ts';
import { dataSection, stSection, trainSection } from '../world/sections.ts';

export const LamModelSchema = section(
  {
    input: str('pixels', "what the LAM sees: raw pixels in [0,1] (paper) or tokenizer tokens (ablation)", ['pixels', 'tokens'] as const),
    height: int(64, 'frame height in pixels (a multiple of patch)', { min: 1 }),
    width: int(64, 'frame width in pixels (a multiple of patch)', { min: 1 }),
    channels: int(3, 'colour channels', { min: 1 }),
    frames: int(16, 'clip length T (temporal positions the model holds)', { min: 2 }),
    patch: int(16, "square patch size in pixels (input 'pixels')", { min: 1 }),
    tokenPatch: int(4, "the tokenizer's patch size (input 'tokens': the token grid is height/tokenPatch × width/tokenPatch)", { min: 1 }),
    tokenVocab: int(1024, "the tokenizer's codebook size (input 'tokens')", { min: 2 }),
    codes: int(8, 'number of latent actions |A|', { min: 2 }),
    codeDim: int(32, 'latent action code dimension', { min: 1 }),
    encoder: stSection(20, 1024, 16, 'encoder ST-transformer'),
    encoderKind: str('st', "pixels: the encoder is the paper's ST-transformer with an action token ('st'), or 'keypoints': a spatial soft-argmax (src/nn/softargmax.ts) finds K keypoints in every frame and a_t is a linear map of their displacement from x_t to x_{t+1} (in pixels), so a code can only mean a motion (the ST encoder's options encoder.*, encoderMotion, actionReadout and spatialPos 'encoder' do not apply); not in the paper", ['st', 'keypoints'] as const),
    keypoints: int(16, "encoderKind 'keypoints': keypoints K per frame", { min: 1 }),
    kpHidden: int(32, "encoderKind 'keypoints': hidden width of the per-position MLP", { min: 1 }),
    kpPatch: int(1, "encoderKind 'keypoints': positions are kpPatch × kpPatch pixel patches (1 = every pixel)", { min: 1 }),
    decoder: stSection(20, 1024, 16, 'decoder ST-transformer'),
    residual: bool(false, "decoder adds its output to x_t (pixels: in logit space before the sigmoid; tokens: a learned gain on x_t's one-hot), so copying x_t is free and a_t only has to explain the change; not in the paper"),
    quantizer: str('learned', "'learned': a learned codebook of |A| codes (the paper); 'cube': the fixed 2^codeDim corners of {−1,1}^codeDim (codes must be 2^codeDim), so with cosine a code is the sign pattern of the latent (FSQ with 2 levels per dimension, Mentzer et al. 2023): no code can die; not in the paper", ['learned', 'cube'] as const),
    commitment: num(0.25, 'VQ commitment loss weight β', { min: 0 }),
    resetAfter: int(50, 'reset codes unused for this many steps (0 = never)', { min: 0 }),
    cosine: bool(true, 'cosine VQ: L2-normalised latents and codes (Jafar); false = Euclidean'),
    recon: str('mse', "pixel reconstruction loss: 'mse' (the paper) or 'change' (each pixel's squared error weighted by 1 + changeWeight·|x_{t+1} − x_t|/mean|x_{t+1} − x_t|, so the few moving pixels dominate; not in the paper)", ['mse', 'change'] as const),
    changeWeight: num(1, "λ of recon 'change' (0 = plain MSE)", { min: 0 }),
    encoderMotion: num(0, "pixels: the encoder reads x_t + λ·(x_t − x_{t−1}) instead of x_t (λ = this; 0 = the paper's raw frames), so the few moving pixels stand out; not in the paper", { min: 0 }),
    encoderDeltaOnly: bool(false, 'with encoderMotion > 0: the encoder reads only λ·(x_t − x_{t−1}), not the frame, so static scene content (which tells where a patch is) cannot reach the action; not in the paper'),
    spatialPos: str('both', "which ST stacks add their spatial position embedding: 'both' (the paper), 'encoder', 'decoder' or 'none'. Without it a stack sees its patches as a set, so a code cannot mean different motions at different places (the unused spatial tables are kept); not in the paper", ['both', 'encoder', 'decoder', 'none'] as const),
    actionReadout: str('token', "a_t from the encoder's action token of frame t+1 ('token', the paper's set-up) or from its change since frame t ('delta': toCode(token_{t+1}) − toCode(token_t), so input-independent parts cancel); not in the paper", ['token', 'delta'] as const),
    centerLatents: bool(false, 'centre the encoder latents before the VQ: minus their batch mean in training (gradient through it, like batch norm), minus an EMA of it (parameter encoder.z_mean [codeDim], updated by lara train lam and world-model co-training) at inference, so the input-independent part of the encoder output cannot send every transition to one code; not in the paper'),
    decorrelate: num(0, "training: weight of a penalty on the mean squared correlation between the latent's dimensions over the batch (src/nn/losses.ts offDiagonalCorrelation), so the latent cannot collapse onto one direction (with quantizer 'cube' and centerLatents, every code is then used); 0 = off; not in the paper", { min: 0 }),
    head: str('pixels', "pixel decoder output: 'pixels' (the paper: the decoder paints x_{t+1} through a sigmoid) or 'warp' (x_{t+1} composited from copies of x_t moved by motion kernels that only a_t chooses, plus a painted image, under per-pixel masks; CDNA, Finn et al. 2016; src/lam/warp.ts); not in the paper", ['pixels', 'warp'] as const),
    warpKernels: int(2, "head 'warp': motion kernels K (independently moving parts a latent action describes)", { min: 1 }),
    warpSize: int(7, "head 'warp': kernel size k (odd): the largest motion between two frames it models is (k−1)/2 pixels", { min: 1 }),
    bypassSteps: int(0, 'warm-up: for this many training steps the decoder gets the continuous encoder output (VQ bypassed); then a learned codebook is set by k-means of recent encoder outputs (a cube codebook stays as it is) and the VQ switched on (0 = off; not in the paper)', { min: 0 }),
  },
  'model',
);

export const LamSchema = section({
  model: LamModelSchema,
  train: trainSection({ steps: 200000, batch: 8, lr: 3e-4, warmup: 5000 }),
  data: dataSection(),
});

export type LamModelConfig = ConfigOf<typeof LamModelSchema>;
export type LamConfig = ConfigOf<typeof LamSchema>;
