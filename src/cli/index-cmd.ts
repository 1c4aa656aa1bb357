// `papermap index`: build or incrementally update the project's HNSW index from its vectors.

import type { Command } from 'commander';
import { DEFAULT_COLLECTION, INDEX_DEFAULTS, MILVUS_ADDRESS_ENV, MILVUS_TOKEN_ENV } from '../pipeline/index.js';
import { indexCommand } from '../pipeline/index.js';
import { describeIndex } from './describe.js';
import { printJson, printLines, targetOf, toInt, withCommon, type CommonFlags } from './shared.js';

interface IndexFlags extends CommonFlags {
  m?: number;
  efConstruction?: number;
  efSearch?: number;
  rebuild?: boolean;
  store?: string;
  milvusAddress?: string;
  milvusToken?: string;
  collection?: string;
}

/** Adds `papermap index` to the program. */
export function registerIndex(program: Command): void {
  withCommon(program.command('index'))
    .description('build the HNSW index of the project (or sync a Milvus collection), or update it in place with only the new, changed and removed papers')
    .option('--rebuild', 'build from scratch instead of updating')
    .option('--m <n>', `HNSW links per node (default ${INDEX_DEFAULTS.m})`, toInt)
    .option('--ef-construction <n>', `HNSW build beam (default ${INDEX_DEFAULTS.efConstruction})`, toInt)
    .option('--ef-search <n>', `HNSW query beam (default ${INDEX_DEFAULTS.efSearch})`, toInt)
    .option('--store <store>', 'where the vectors are searched: local (an HNSW file in the project) or milvus; recorded in the project, so later commands use it (default: what the project uses, else local)')
    .option('--milvus-address <host:port>', `Milvus proxy address, e.g. 127.0.0.1:19530 (default: $${MILVUS_ADDRESS_ENV}, else the recorded one)`)
    .option('--milvus-token <token>', `Milvus token, user:password or an API key; never written to the project (default: $${MILVUS_TOKEN_ENV})`)
    .option('--collection <name>', `Milvus collection (default: the recorded one, else ${DEFAULT_COLLECTION})`)
    .action(async (flags: IndexFlags) => {
      const summary = await indexCommand(targetOf(flags), { m: flags.m, efConstruction: flags.efConstruction, efSearch: flags.efSearch, rebuild: flags.rebuild, store: flags.store, milvusAddress: flags.milvusAddress, milvusToken: flags.milvusToken, collection: flags.collection });
      if (flags.json) printJson(summary);
      else printLines([describeIndex(summary)]);
    });
}
