import fs from 'node:fs';
import path from 'node:path';

/**
 * The path of `name` in the repository, found by walking up from the bundled test's folder
 * (tests run from dist/test/..., so a fixed relative path would depend on the bundle layout).
 */
export function repoPath(name: string): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, name))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${name} not found above ${__dirname}`);
    dir = parent;
  }
  return path.join(dir, name);
}
