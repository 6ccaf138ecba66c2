/**
 * The Node globals the shared server code still calls, in their portable forms, installed before
 * anything else in the Web Worker (browserMain.ts imports this first). `process.env` is replaced
 * at build time (esbuild.mjs: an empty environment, so no token can come from it).
 */
type Immediate = (callback: (...args: unknown[]) => void, ...args: unknown[]) => unknown;
const g = globalThis as { setImmediate?: Immediate };
// A worker has no setImmediate; a zero timeout also yields to pending messages (typing first).
g.setImmediate ??= (callback, ...args) => setTimeout(callback, 0, ...args);

export {};
