// A named import: the bundler then takes only this field of package.json, not the whole
// manifest (37 KB of contributions, parsed by every start of the CLI and the language server).
import { version } from '../../package.json';

export const VERSION: string = version;
