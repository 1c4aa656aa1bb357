// Peak memory of this process: VmHWM from /proc/self/status (the high-water mark of this process' own address space).
// process.resourceUsage().maxRSS is not used: after fork+exec Linux carries the parent's peak into the child.
// Preloaded with `node --import ./bench/peak-rss.mjs …` it also writes the figure (MB) to $PEAK_RSS_FILE at exit.
import { readFileSync, writeFileSync } from 'node:fs';

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb() {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

process.on('exit', () => {
  if (process.env.PEAK_RSS_FILE) writeFileSync(process.env.PEAK_RSS_FILE, String(peakRssMb()));
});
