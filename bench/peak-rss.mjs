// Preloaded with `node --import ./bench/peak-rss.mjs …`: writes the process' peak RSS (MB) to $PEAK_RSS_FILE at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.PEAK_RSS_FILE) writeFileSync(process.env.PEAK_RSS_FILE, String(Math.round(process.resourceUsage().maxRSS / 1024)));
});
