// `papermap verify`: check every file of the project against the sha256 the manifest recorded.

import type { Command } from 'commander';
import { PapermapError } from '../errors.js';
import { verifyCommand } from '../pipeline/index.js';
import { failAfterOutput, printJson, printLines, targetOf, withCommon, type CommonFlags } from './shared.js';

/** Adds `papermap verify` to the program. */
export function registerVerify(program: Command): void {
  withCommon(program.command('verify'))
    .description('check every artefact of the project against its recorded size and sha256, and say which are out of date')
    .action((flags: CommonFlags) => {
      const s = verifyCommand(targetOf(flags));
      if (flags.json) printJson(s);
      else {
        printLines([
          `${s.project} (commit ${s.generation}): ${s.ok ? 'every file matches the manifest' : 'DAMAGED'}`,
          ...s.artefacts.map((a) => `  ${a.ok ? 'ok     ' : 'BAD    '} ${a.artefact.padEnd(12)} ${a.file}${a.problem ? `: ${a.problem}` : ''}${a.fresh ? '' : `  (out of date: ${a.staleReason})`}`),
        ]);
      }
      const bad = s.artefacts.find((a) => !a.ok);
      if (bad) failAfterOutput(flags, new PapermapError('PROJECT_DAMAGED', `${bad.file}: ${bad.problem}`, undefined, 're-run the command that makes it (`papermap run` rebuilds everything)'));
    });
}
