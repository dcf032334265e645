/**
 * Plain-arithmetic angle helpers, for hot paths and for modules that must load fast (the
 * simulator's workers): mathjs (src/robot/geometry.ts) takes a second or more to import.
 */

/** Angle wrapped to (-pi, pi]. */
export function wrapAngle(a: number): number {
  const t = a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
  return t === -Math.PI ? Math.PI : t;
}

/** Rotation about the x axis as a row-major 3x3 array. */
export function rotXFlat(a: number): number[] {
  const c = Math.cos(a), s = Math.sin(a);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}
