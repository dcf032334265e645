/**
 * Resample a time-ordered message stream onto a fixed-rate clock: for each tick the value is the
 * latest message at or before the tick ("nearest earlier"); ticks before the first message get null.
 */
export interface Timed<V> {
  timeNs: bigint;
  value: V;
}

/** Tick times start, start + 1/fps, ... up to and including end. */
export function ticks(startNs: bigint, endNs: bigint, fps: number): bigint[] {
  const out: bigint[] = [];
  const period = 1e9 / fps;
  for (let k = 0; ; k++) {
    const t = startNs + BigInt(Math.round(k * period));
    if (t > endNs) break;
    out.push(t);
  }
  return out;
}

/** Consume `stream` (ascending time) and pick the nearest earlier value for each tick. */
export async function sampleNearestEarlier<V>(stream: AsyncIterable<Timed<V>>, tickNs: bigint[]): Promise<(V | null)[]> {
  const out: (V | null)[] = new Array(tickNs.length).fill(null);
  let k = 0;
  let latest: V | null = null;
  for await (const m of stream) {
    while (k < tickNs.length && tickNs[k]! < m.timeNs) out[k++] = latest;
    if (k >= tickNs.length) break;
    latest = m.value;
  }
  while (k < tickNs.length) out[k++] = latest;
  return out;
}
