/**
 * Inputs of the observation-conditioned mappings: one-hot(code) and one-hot(code) ⊗ state, so a
 * linear model on them is a separate affine map of the state for each code.
 * Layout: [K one-hot | K*S products] (length K*(S+1)); S = 0 gives the one-hot alone.
 */
export function mappingFeatures(code: number, state: ArrayLike<number> | undefined, codes: number, stateDim: number, stateMean?: readonly number[], stateStd?: readonly number[]): Float64Array {
  const f = new Float64Array(codes * (stateDim + 1));
  f[code] = 1;
  for (let j = 0; j < stateDim; j++) {
    const raw = state?.[j] ?? 0;
    const s = stateMean && stateStd ? (raw - stateMean[j]!) / stateStd[j]! : raw;
    f[codes + code * stateDim + j] = s;
  }
  return f;
}
