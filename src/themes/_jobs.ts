// The themes stage's worker thread entry (runJobs in src/threads.ts starts it): k-means probes and sub-theme splits.

import { serveJobs } from '../threads.js';
import { runThemeJob } from './jobs.js';

serveJobs(runThemeJob);
