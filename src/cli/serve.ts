// `papermap serve`: the map and a JSON API for live queries on this machine, until Ctrl-C (SIGINT) or SIGTERM.

import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PapermapError } from '../errors.js';
import { openProject, projectPath, readJsonArtefact, type Project } from '../project/index.js';
import type { Paper } from '../records.js';
import { startServer, type ServerApi } from '../server/index.js';
import { openRelated } from './related.js';
import { toInt, withCommon, type CommonFlags } from './shared.js';

/** Default port of `papermap serve`: an unassigned one, so it rarely clashes with other local servers. */
export const DEFAULT_PORT = 7411;

/** Flags of `papermap serve`. */
export interface ServeFlags {
  port?: number;
  host?: string;
}

/** The server's queries over a project: papers and index loaded once; map.html read from disk on each request for `/`. */
export function projectApi(project: Project): ServerApi {
  const related = openRelated(project);
  const mapFile = project.manifest.artefacts.mapHtml ? projectPath(project, project.manifest.artefacts.mapHtml.file) : undefined;
  const themes = project.manifest.artefacts.themes ? readJsonArtefact<{ themes?: { paperIds?: unknown }[] }>(project, 'themes') : { themes: [] };
  // The paper ids of each theme are in /api/papers; the themes answer stays small.
  const themesBody = { ...themes, themes: (themes.themes ?? []).map(({ paperIds: _ids, ...rest }) => rest) };
  return {
    mapHtml: () => (mapFile && existsSync(mapFile) ? readFileSync(mapFile, 'utf8') : undefined),
    paper(id): Paper {
      const paper = related.papers.get(id);
      if (!paper) throw new PapermapError('NOT_FOUND', `no paper with id '${id.slice(0, 200)}'`, undefined, 'ids look like arxiv:2401.00001 or doi:10.1000/xyz');
      return paper;
    },
    similar: (ref, k) => related.similar(ref, k),
    search: (text, k) => related.search(text, k),
    themes: () => themesBody,
  };
}

/** Starts the server and resolves once it has stopped on SIGINT or SIGTERM. */
export async function serveProject(project: Project, flags: ServeFlags, log: (line: string) => void): Promise<void> {
  const port = flags.port ?? DEFAULT_PORT;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new PapermapError('BAD_OPTION', `option 'port' is ${flags.port}: expected an integer from 0 to 65535`);
  const host = flags.host ?? '127.0.0.1';
  const api = projectApi(project);
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
    const server = await startServer(api, { port, host });
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) log(`warning: listening on ${host}: other machines can reach this server`);
    log(`serving ${project.dir} at ${server.url} (Ctrl-C to stop)`);
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
    .action(async (flags: CommonFlags & ServeFlags) => {
      await serveProject(openProject(flags.project), flags, (line) => process.stdout.write(`${line}\n`));
    });
}
