// The list of papermap's commands: one file each, registered in the order `--help` shows them.

import type { Command } from 'commander';
import { registerEmbed } from './embed.js';
import { registerExport } from './export.js';
import { registerIndex } from './index-cmd.js';
import { registerRun } from './run.js';
import { registerSearch } from './search.js';
import { registerSimilar } from './similar.js';
import { registerIngest } from './ingest.js';
import { registerMap } from './map.js';
import { registerServe } from './serve.js';
import { registerThemes } from './themes.js';
import { registerVerify } from './verify.js';

/** Adds every command to the program. */
export function registerCommands(program: Command): void {
  registerRun(program);
  registerIngest(program);
  registerEmbed(program);
  registerIndex(program);
  registerSimilar(program);
  registerSearch(program);
  registerThemes(program);
  registerMap(program);
  registerExport(program);
  registerServe(program);
  registerVerify(program);
}
