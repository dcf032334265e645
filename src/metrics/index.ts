/** Metrics for lara's models: fidelity (PSNR, SSIM), codebooks, controllability (ΔtPSNR). */
export { mse, psnr, meanPsnr, type Pixels } from './psnr.ts';
export { ssim, gaussianKernel, type SsimOptions } from './ssim.ts';
export { codeHistogram, codebookStats, statsFromCounts, type CodebookStats } from './codebook.ts';
export { deltaTPsnr, psnrPerFrame, DELTA_T } from './delta-psnr.ts';
