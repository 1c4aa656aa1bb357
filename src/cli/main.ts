#!/usr/bin/env node
// Entry point of the `papermap` bin.

import { main } from './program.js';

// A reader that stops early (`papermap --help | head`) closes the pipe: what is left to print has nowhere to go, and
// that is no error. The command still finishes (a write it started still commits); only its output is dropped.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

process.exitCode = await main(process.argv.slice(2));
