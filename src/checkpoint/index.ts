/** Checkpoints: the safetensors format, named tfjs tensors, and atomic checkpoint directories. */
export * from './safetensors.ts';
export * from './tf-tensors.ts';
export * from './checkpoint.ts';
