// `papermap serve`: the map and a JSON API for live queries on this machine, until Ctrl-C (SIGINT) or SIGTERM.

import type { Command } from 'commander';
import { PapermapError } from '../errors.js';
import { serveProject } from '../pipeline/index.js';
import { targetOf, toInt, withCommon, type CommonFlags } from './shared.js';

/** Default port of `papermap serve`: an unassigned one, so it rarely clashes with other local servers. */
export const DEFAULT_PORT = 7411;

interface ServeFlags extends CommonFlags {
  port?: number;
  host?: string;
}

/** Starts the server and resolves once it has stopped on SIGINT or SIGTERM. */
async function serveUntilSignal(flags: ServeFlags, log: (line: string) => void): Promise<void> {
  const port = flags.port ?? DEFAULT_PORT;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new PapermapError('BAD_OPTION', `option '--port' is ${flags.port}: expected an integer from 0 to 65535`);
  const host = flags.host ?? '127.0.0.1';
  // Signal listeners go on before the URL is printed (a client may signal as soon as it reads it) and stay on until
  // the server has closed, so a second Ctrl-C during shutdown is not fatal.
  let signalled: NodeJS.Signals | undefined;
  let wake: () => void = () => {};
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = signal;
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const server = await serveProject(targetOf(flags), { port, host });
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) log(`warning: listening on ${host}: other machines can reach this server`);
    log(`serving ${server.projectDir} at ${server.url} (Ctrl-C to stop; new commits of the project are picked up)`);
    if (!signalled) await new Promise<void>((done) => (wake = done));
    log(`${signalled}: stopping`);
    await server.stop();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  log('stopped');
}

/** Adds `papermap serve` to the program. */
export function registerServe(program: Command): void {
  withCommon(program.command('serve'))
    .description('serve the map and a JSON API (/api/similar, /api/search, /api/themes, /api/papers/:id) on this machine')
    .option('--port <n>', `port to listen on, 0 picks a free one (default ${DEFAULT_PORT})`, toInt)
    .option('--host <address>', 'address to bind; other than 127.0.0.1 exposes the server to the network (default 127.0.0.1)')
    .action(async (flags: ServeFlags) => {
      await serveUntilSignal(flags, (line) => process.stdout.write(`${line}\n`));
    });
}
