/** Analytic model size, FLOPs and memory from configs (no weights allocated). */
export { modelInfo, formatInfo, human, type ModelInfo, type Component } from './report.ts';
export { tokenizerCost, lamCost, dynamicsCost, type Breakdown } from './models.ts';
export * as cost from './cost.ts';
