// The executable's entry; runCli itself stays importable by tests without side effects.
import { runCli } from './main';
import { EXIT, processIO } from './io';

runCli(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`scim-agents: internal error: ${String(e)}\n`);
    process.exitCode = EXIT.usage;
  },
);
