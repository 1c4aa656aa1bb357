// The papermap command line: builds the commands, runs one, and renders errors as one line each.

import { Command, CommanderError } from 'commander';
import { isPapermapError } from '../errors.js';
import { PAPERMAP_VERSION } from '../project/index.js';
import { registerCommands } from './commands.js';

/** Runs papermap with the given arguments (without `node` and the script). Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('papermap')
    .description('Semantic similarity, themes and maps for scientific paper abstracts, on a local transformer model.')
    .version(PAPERMAP_VERSION)
    .option('--debug', 'print stack traces of internal errors')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .addHelpText(
      'after',
      `
Start with \`papermap run data\` (what \`npm start\` does), then for example:
  papermap search "combining fine-tuned models without retraining"
  papermap similar "AdaMerging" -k 5
  papermap themes --json
  papermap serve                      # the map and a JSON API on http://127.0.0.1:7411
Every command reads and writes the project directory given by --project (default .papermap).`,
    );
  registerCommands(program);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isPapermapError(error)) {
      const where = error.where ? `${error.where.file}${error.where.line ? `:${error.where.line}` : ''}: ` : '';
      process.stderr.write(`papermap: ${where}${error.message}\n`);
      if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
      return error.code === 'BAD_OPTION' ? 2 : 1;
    }
    const debug = argv.includes('--debug');
    process.stderr.write(`papermap: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('  hint: run again with --debug for the stack trace\n');
    return 1;
  }
}
