/**
 * Runs a sandbox in its own process for the crash test: `node sandbox-child.js DATA_DIR`.
 * Prints one JSON line {baseUrl, token} once listening, then serves until killed.
 */
import { startSandbox } from '../../server/src/sandbox';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: sandbox-child DATA_DIR\n');
  process.exit(2);
}
startSandbox({ dataDir, port: 0, maxResults: 100_000, compactBytes: Number(process.env.SANDBOX_COMPACT_BYTES ?? 4 * 1024 * 1024) }).then(
  (s) => process.stdout.write(JSON.stringify({ baseUrl: s.baseUrl, token: s.token }) + '\n'),
  (e) => {
    process.stderr.write(String(e) + '\n');
    process.exit(1);
  },
);
