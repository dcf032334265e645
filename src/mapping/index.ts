export * from './types.ts';
export * from './stats.ts';
export * from './dictionary.ts';
export * from './ridge.ts';
export * from './mlp.ts';
export * from './io.ts';
export * from './config.ts';
export * from './fit.ts';
