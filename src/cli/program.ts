// The papermap command line: builds the commands, runs one, and renders errors as one line each.

import { Command, CommanderError } from 'commander';
import { isPapermapError } from '../errors.js';
import { PAPERMAP_VERSION } from '../package.js';
import { ExitAfterOutput } from './shared.js';
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
    return renderError(error, argv);
  }
}

/** The JSON document an error becomes with --json: the same fields the text line shows. */
interface ErrorDocument {
  error: { code: string; message: string; file?: string; line?: number; hint?: string };
}

/**
 * Renders an error as one line on stderr (plus its hint) and, with --json, also as one JSON document on stdout;
 * returns the exit code: 2 for usage mistakes, 1 otherwise, 0 for --help and --version.
 */
function renderError(error: unknown, argv: readonly string[]): number {
  const json = argv.includes('--json');
  if (error instanceof ExitAfterOutput) return error.exitCode;
  if (error instanceof CommanderError) {
    // --help and --version arrive here too, with exit code 0; commander has already written its message to stderr.
    if (error.exitCode === 0) return 0;
    if (json) printError({ error: { code: 'BAD_OPTION', message: error.message.replace(/^error: /, '') } });
    return 2;
  }
  if (isPapermapError(error)) {
    const where = error.where ? `${error.where.file}${error.where.line ? `:${error.where.line}` : ''}: ` : '';
    process.stderr.write(`papermap: ${where}${error.message}\n`);
    if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
    if (json) printError({ error: { code: error.code, message: error.message, ...(error.where ? { file: error.where.file } : {}), ...(error.where?.line ? { line: error.where.line } : {}), ...(error.hint ? { hint: error.hint } : {}) } });
    return error.code === 'BAD_OPTION' ? 2 : 1;
  }
  const message = (error as Error)?.message ?? String(error);
  process.stderr.write(`papermap: internal error: ${message}\n`);
  if (argv.includes('--debug') && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('  hint: run again with --debug for the stack trace\n');
  if (json) printError({ error: { code: 'INTERNAL', message } });
  return 1;
}

function printError(doc: ErrorDocument): void {
  process.stdout.write(`${JSON.stringify(doc)}\n`);
}
