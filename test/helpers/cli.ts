/** Runs the CLI in-process with a chosen working directory and environment; output is captured. */
import { runCli } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
    cwd,
    isTTY: false,
    readStdin: async () => '',
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
