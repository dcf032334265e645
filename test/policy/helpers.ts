import { initBackend } from '../../src/backend/select.ts';

/** Tests run on the wasm backend (the practical CPU backend). */
export async function useWasm(): Promise<void> {
  await initBackend('wasm');
}
