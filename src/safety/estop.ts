/**
 * Emergency stop latch: once engaged (std_msgs/Bool true on the e-stop topic), every output is
 * the stop action until it is explicitly released (false). Engaging twice is harmless; nothing
 * but release() clears it.
 */
export class EStopLatch {
  #engaged = false;
  #changes = 0;
  /** Apply an e-stop message value; returns true when the latch state changed. */
  set(engaged: boolean): boolean {
    if (engaged === this.#engaged) return false;
    this.#engaged = engaged;
    this.#changes++;
    return true;
  }
  get engaged(): boolean {
    return this.#engaged;
  }
  /** How many times the state changed (for diagnostics). */
  get changes(): number {
    return this.#changes;
  }
}
