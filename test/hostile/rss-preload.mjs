// Preloaded into CLI children by test/hostile.test.ts (node --import): records the process's peak
// resident set size to the file named by HOSTILE_RSS_FILE when the process exits. Writes nothing
// to stdout or stderr, so the CLI's own output is unchanged.
import { writeFileSync } from 'node:fs';

const file = process.env.HOSTILE_RSS_FILE;
if (file) {
  process.on('exit', () => {
    // maxRSS is in kilobytes and covers the whole life of the process.
    writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
  });
}
