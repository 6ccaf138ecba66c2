/**
 * One seed per test process, printed so a failure replays: SCIM_AGENTS_FUZZ_SEED=<n> npm test.
 * The default is a fixed seed so CI is deterministic; SCIM_AGENTS_FUZZ_SEED=random explores new
 * cases (run it locally, with SCIM_AGENTS_FUZZ_SCALE to multiply the number of cases).
 */
const DEFAULT_SEED = 20261129;
let chosen: number | undefined;

export function fuzzSeed(suite: string): number {
  if (chosen === undefined) {
    const fromEnv = process.env.SCIM_AGENTS_FUZZ_SEED;
    const parsed = fromEnv !== undefined && fromEnv.trim() !== '' ? Number(fromEnv) : NaN;
    chosen = Number.isInteger(parsed) ? parsed : fromEnv === 'random' ? (Date.now() ^ (process.pid << 16)) >>> 0 : DEFAULT_SEED;
  }
  console.log(`[fuzz] ${suite}: seed ${chosen} (replay with SCIM_AGENTS_FUZZ_SEED=${chosen})`);
  return chosen;
}

export function fuzzRuns(base: number): number {
  const scale = Number(process.env.SCIM_AGENTS_FUZZ_SCALE ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** fast-check keeps the assertion that failed as the error's cause: put it first in the message. */
export function withCause(e: unknown): Error {
  const err = e as Error & { cause?: Error };
  return new Error(`${err.cause?.message ?? ''}\n\n${err.message}`);
}
