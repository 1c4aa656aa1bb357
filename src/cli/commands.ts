// The list of papermap's commands: one file each, registered in the order `--help` shows them.

import type { Command } from 'commander';
import { registerEmbed } from './embed.js';

/** Adds every command to the program. */
export function registerCommands(program: Command): void {
  registerEmbed(program);
}
