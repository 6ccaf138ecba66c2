import { parseArgs } from 'node:util';
import { isProfileId } from '../../schema/profiles';
import { RULE_CODES } from '../../rules/registry';
import type { SeveritySetting } from '../../rules/types';
import { WorkspaceIndex } from '../../workspace/index';
import { ENDPOINT_HELP, ENDPOINT_OPTIONS, rejectSecretFlags } from '../endpoint';
import { lintConfigured } from '../../lint/configured';
import type { ConfigProfile } from '../../config/types';
import { cliConfig } from '../projectConfig';
import { applyBaseline, type BaselineOptions } from '../baseline';
import { lintApart, type LintedFiles } from '../lintApart';
import type { CliConfig } from '../projectConfig';
import path from 'node:path';
import { collectFiles, UsageError } from '../files';
import { readManifests } from '../manifests';
import { applyServerProfile, SERVER_PROFILE_HELP } from '../serverProfile';
import { formatGithub } from '../format/github';
import { formatJson } from '../format/json';
import { type LocatedFinding, locate, summarize } from '../format/located';
import { formatSarif } from '../format/sarif';
import { formatText } from '../format/text';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { VERSION } from '../../version';
import { pathToUri } from '../../util/files';

export const LINT_HELP = `Usage: scim-agents lint [paths or globs...] [options]

Checks agent and agentic-application manifests. Directories are scanned for
*.agent.{yaml,yml,json} and *.agents.{yaml,yml,json}; the default is the current directory.

Options:
  --format text|json|sarif|github   output format (default: text)
  --profile abbey-00|wzdk-00|server|auto
                                    schema profile (default: the configuration's, else auto, per
                                    file); server: the /Schemas and /ResourceTypes that
                                    --endpoint serves (cached)
${SERVER_PROFILE_HELP}
  --rule CODE=off|info|warning|error  override a rule's severity (repeatable)
  --config FILE                     use this configuration file for every manifest (default:
                                    the nearest .scim-agents.yaml above each manifest)
  --baseline FILE                   report only findings not in this baseline (default: the
                                    configuration's \`baseline:\`, if any)
  --update-baseline                 write the current findings as the baseline, report none
  --max-warnings N                  fail when there are more than N warnings
  --quiet                           report errors only
  --jobs N                          check files in N threads (default 1; more pays only
                                    with more than two cores)
  -h, --help                        show this help

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage or internal error.

${ENDPOINT_HELP.replace(' (required)', ' (for --profile server)')}
`;

const SEVERITIES = new Set(['off', 'info', 'warning', 'error']);
const FORMATS = new Set(['text', 'json', 'sarif', 'github']);

export const lintCommand: CliCommand = async (argv, io) => {
  rejectSecretFlags(argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...ENDPOINT_OPTIONS,
      'refresh-schemas': { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      profile: { type: 'string' },
      rule: { type: 'string', multiple: true, default: [] },
      config: { type: 'string' },
      baseline: { type: 'string' },
      'update-baseline': { type: 'boolean', default: false },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(LINT_HELP);
    return EXIT.ok;
  }
  const format = values.format!;
  if (!FORMATS.has(format)) throw new UsageError(`Unknown --format "${format}"; use text, json, sarif or github.`);
  const profile = values.profile;
  if (profile !== undefined && profile !== 'auto' && profile !== 'server' && !isProfileId(profile))
    throw new UsageError(`Unknown --profile "${profile}"; use abbey-00, wzdk-00, server or auto.`);
  const rules = parseRuleOverrides(values.rule ?? []);
  const maxWarnings = values['max-warnings'] === undefined ? undefined : Number(values['max-warnings']);
  if (maxWarnings !== undefined && (!Number.isInteger(maxWarnings) || maxWarnings < 0)) {
    throw new UsageError('--max-warnings takes a whole number of 0 or more.');
  }

  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS))
    throw new UsageError(`--jobs takes a whole number from 1 to ${MAX_JOBS}.`);

  const files = await collectFiles(positionals, io.cwd);
  if (files.length === 0) throw new UsageError('No manifest files found (looked for *.agent.{yaml,yml,json} and *.agents.{yaml,yml,json}).');

  // Precedence: these flags > the nearest .scim-agents.yaml (and its overrides) > defaults.
  const config = cliConfig(values.config, io.cwd, { ...(profile ? { profile: profile as ConfigProfile } : {}), rules });
  // Each file under its nearest .scim-agents.yaml.
  const uris = files.map((file) => {
    const uri = pathToUri(file);
    config.track(uri, file);
    return uri;
  });
  const baselineOptions = {
    ...(values.baseline !== undefined ? { flag: path.resolve(io.cwd, values.baseline) } : {}),
    update: values['update-baseline'] === true,
    configured: (uri: string) => {
      const { baseline, source } = config.forUri(uri);
      return baseline && source ? { file: baseline, folder: path.dirname(source) } : undefined;
    },
  };
  // The server profile and baselines read the index (bindings, resources' keys): without them,
  // the files are checked apart and no tree is kept (cli/lintApart.ts).
  const needsIndex =
    profile === 'server' ||
    values['refresh-schemas'] === true ||
    values.baseline !== undefined ||
    baselineOptions.update ||
    uris.some((uri) => {
      const c = config.forUri(uri);
      return c.profile === 'server' || c.baseline !== undefined;
    });
  const linted = (!needsIndex && (await lintApart(files, uris, io.cwd, config, jobs))) || (await lintWithIndex(files, io, config, values, baselineOptions));
  const unreadable: LocatedFinding[] = linted.unreadable.map(({ file, error }) => ({
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    severity: 'error',
    code: 'syntax-error',
    message: error,
  }));
  let located: LocatedFinding[] = [...unreadable, ...config.problems(io.cwd)];
  // forEach, not for-of: an entry pair and a step object per file before V8 optimises this one pass.
  linted.results.forEach((findings, uri) => {
    if (findings.length === 0) return;
    const lines = linted.linesOf(uri);
    for (const f of findings) located.push(locate(linted.names.get(uri) ?? uri, lines, f));
  });
  located.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  if (values.quiet) located = located.filter((f) => f.severity === 'error');
  const summary = summarize(located, files.length);

  switch (format) {
    case 'json':
      io.stdout(formatJson(located));
      break;
    case 'sarif':
      io.stdout(formatSarif(located, VERSION));
      break;
    case 'github':
      io.stdout(formatGithub(located));
      io.stderr(formatText([], summary, false));
      break;
    default:
      io.stdout(formatText(located, summary, io.isTTY && !io.env.NO_COLOR));
  }
  if (summary.errors > 0) return EXIT.findings;
  if (maxWarnings !== undefined && summary.warnings > maxWarnings) {
    io.stderr(`Too many warnings: ${summary.warnings} (at most ${maxWarnings}).\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
};

/** Threads are cheap to ask for and dear to start: more than this is a typo. */
const MAX_JOBS = 64;

/** The lint over an index of every file: what the server profile and baselines need. */
async function lintWithIndex(
  files: readonly string[],
  io: CliIO,
  config: CliConfig,
  values: Parameters<typeof applyServerProfile>[1],
  baselineOptions: BaselineOptions,
): Promise<LintedFiles> {
  const index = new WorkspaceIndex((uri) => config.forUri(uri).profile);
  index.setRoots([pathToUri(io.cwd)]);
  const { names, unreadable } = await readManifests(files, io.cwd, index, config);
  await applyServerProfile(index, values, io);
  const baselined = applyBaseline(index, lintConfigured(index, config.forUri), baselineOptions);
  for (const note of baselined.notes) io.stderr(`${note}\n`);
  return { names, unreadable, results: baselined.results, linesOf: (uri) => index.get(uri)!.manifest.lines };
}

function parseRuleOverrides(specs: readonly string[]): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const spec of specs) {
    const [code, severity] = spec.split('=');
    if (!code || !severity || !SEVERITIES.has(severity)) throw new UsageError(`--rule takes CODE=off|info|warning|error, not "${spec}".`);
    if (!RULE_CODES.includes(code)) throw new UsageError(`Unknown rule "${code}". Known rules: ${RULE_CODES.join(', ')}.`);
    out[code] = severity as SeveritySetting;
  }
  return out;
}
