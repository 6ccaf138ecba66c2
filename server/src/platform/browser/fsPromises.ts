// See README.md: the promise API of a file system with no files.
import { NotFoundError } from './fs';
const missing = (what: string) => async (): Promise<never> => {
  throw new NotFoundError(what);
};
export const open = missing('open');
export const readFile = missing('readFile');
export const stat = missing('stat');
export const lstat = missing('lstat');
export const realpath = missing('realpath');
export const readdir = missing('readdir');
export const opendir = missing('opendir');
export const writeFile = missing('writeFile');
export const mkdir = missing('mkdir');
export const rename = missing('rename');
export const rm = missing('rm');
export default { open, readFile, stat, lstat, realpath, readdir, opendir, writeFile, mkdir, rename, rm };
