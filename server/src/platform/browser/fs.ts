// See README.md: a file system with no files, for the Web Worker build.
export class NotFoundError extends Error {
  readonly code = 'ENOENT';
  constructor(what: string) {
    super(`ENOENT: no file system in the browser (${what})`);
  }
}
const missing = (what: string) => (): never => {
  throw new NotFoundError(what);
};
export const constants = { O_RDONLY: 0, O_NONBLOCK: 0, O_NOFOLLOW: 0, F_OK: 0, R_OK: 0 };
export const existsSync = (): boolean => false;
export const readFileSync = missing('readFileSync');
export const statSync = missing('statSync');
export const lstatSync = missing('lstatSync');
export const realpathSync = missing('realpathSync');
export const readdirSync = missing('readdirSync');
export const openSync = missing('openSync');
export const writeFileSync = missing('writeFileSync');
export const mkdirSync = missing('mkdirSync');
export const renameSync = missing('renameSync');
export const rmSync = missing('rmSync');
const fs = {
  constants,
  existsSync,
  readFileSync,
  statSync,
  lstatSync,
  realpathSync,
  readdirSync,
  openSync,
  writeFileSync,
  mkdirSync,
  renameSync,
  rmSync,
  promises: {},
};
export default fs;
