/**
 * Real data written by others (BridgeData RLDS shard, turtlesim bag, crafter video), read in
 * place from ../shared/fixtures beside the repository (or LARA_FIXTURES); never copied into
 * the repo. Where the folder is absent (a clone on its own), the tests that need it are skipped
 * with a note; under CI (CI=true) they run and fail loudly instead.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const FIXTURES = process.env.LARA_FIXTURES ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures');
export const HAVE_FIXTURES = existsSync(FIXTURES) || process.env.CI === 'true';

if (!HAVE_FIXTURES) {
  process.stderr.write(`note: ${FIXTURES} not found; tests on the shared real-data fixtures are skipped (set LARA_FIXTURES)\n`);
}

/** `it` for a test that reads the shared fixtures. */
export const itFx = HAVE_FIXTURES ? it : it.skip;
/** `describe` for a block whose tests read the shared fixtures. */
export const describeFx = HAVE_FIXTURES ? describe : describe.skip;
