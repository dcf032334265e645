/**
 * lara's command line. Each verb lives in its own file under src/cli/ and exports a yargs
 * CommandModule; register it in ./verbs.ts. Errors print one clear line and exit non-zero.
 */
import yargs from 'yargs';
import { LaraError } from '../util/errors.ts';
import { verbIndex } from './verbs.ts';

export async function main(argv: string[]): Promise<void> {
  // `lara ... | head` closes the pipe early: that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
  let cli = yargs(argv)
    .scriptName('lara')
    .usage('lara <verb> [options]\n\nLAtent-to-Real Actions: Genie-style latent action models for robots.')
    .strict()
    .demandCommand(1, 'Name a verb; see the list above.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new LaraError(msg ?? 'invalid arguments', { exitCode: 2 });
    });
  try {
    // Load only the verb being run; the others are registered by name for help and suggestions.
    const first = argv.find((a) => !a.startsWith('-'));
    if (first !== undefined && !verbIndex.some((v) => v.name === first)) {
      throw new LaraError(`unknown verb '${first}'`, { expected: `one of ${verbIndex.map((v) => v.name).join(', ')}`, exitCode: 2 });
    }
    for (const v of verbIndex) {
      if (v.name === first) cli = cli.command((await v.load()) as never);
      else cli = cli.command(v.usage, v.describe, () => {}, () => {});
    }
    await cli.parseAsync();
  } catch (e) {
    reportAndExit(e);
  }
}

/** Print an error as one clear message (stack only with LARA_DEBUG=1) and exit non-zero. */
export function reportAndExit(e: unknown): never {
  const debug = process.env.LARA_DEBUG === '1';
  if (e instanceof LaraError) {
    process.stderr.write(`lara: error: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(e.stack + '\n');
    process.exit(e.context.exitCode ?? 1);
  }
  const err = e as Error;
  const msg = err && typeof err.message === 'string' ? err.message : String(e);
  process.stderr.write(`lara: error: ${msg}\n`);
  if (debug && err?.stack) process.stderr.write(err.stack + '\n');
  else process.stderr.write('(internal error; run with LARA_DEBUG=1 for details)\n');
  process.exit(3);
}
