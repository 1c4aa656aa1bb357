#!/usr/bin/env node
// Entry point of the `papermap` bin.

import { main } from './program.js';

process.exitCode = await main(process.argv.slice(2));
