// The list of papermap's commands: one file each, registered in the order `--help` shows them.

import type { Command } from 'commander';
import { registerEmbed } from './embed.js';
import { registerIngest } from './ingest.js';
import { registerMap } from './map.js';
import { registerServe } from './serve.js';
import { registerThemes } from './themes.js';

/** Adds every command to the program. */
export function registerCommands(program: Command): void {
  registerIngest(program);
  registerEmbed(program);
  registerThemes(program);
  registerMap(program);
  registerServe(program);
}
