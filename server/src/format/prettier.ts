/**
 * Prettier and the plugins Format Document uses, behind one module that format.ts loads on first
 * use. The Node bundles (dist/server.js, dist/cli.js) keep it out of their own file: esbuild.mjs
 * builds it as dist/prettier.js, which they require only when a file is formatted, so that the
 * server's start does not parse Prettier (most of the bundle). Tests and the web worker import it
 * like any module.
 */
import * as standalone from 'prettier/standalone';
import * as babel from 'prettier/plugins/babel';
import * as estree from 'prettier/plugins/estree';
import * as yaml from 'prettier/plugins/yaml';

export const format = standalone.format;
export const plugins = { json: [babel, estree], yaml: [yaml] };
