/** What a CLI command may touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Reads all of standard input (for tokens, never taken as flags). */
  /** Standard input as text, at most `maxBytes` of it: more rejects with StdinTooLarge (and stops reading). */
  readStdin: (maxBytes: number) => Promise<string>;
  /** Whether stdout is a terminal (colour, interactive confirmation). */
  isTTY: boolean;
}

/** A subcommand: parses its own arguments, returns the process exit code. */
export type CliCommand = (argv: string[], io: CliIO) => Promise<number>;

export const EXIT = {
  ok: 0,
  /** lint found errors, or apply failed */
  findings: 1,
  /** usage or internal error; with --detailed-exitcode, plan has changes is 2 as well (terraform's convention) */
  usage: 2,
} as const;

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    readStdin: (maxBytes) =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let length = 0;
        process.stdin.on('data', (c: Buffer) => {
          length += c.length;
          if (length > maxBytes) {
            process.stdin.destroy();
            reject(new StdinTooLarge(maxBytes));
            return;
          }
          chunks.push(c);
        });
        process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        process.stdin.on('error', reject);
      }),
  };
}

/** Standard input held more than a command reads. */
export class StdinTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`standard input holds more than ${maxBytes} bytes`);
  }
}
