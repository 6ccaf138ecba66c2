#!/usr/bin/env bash
# npm test: builds, then runs every suite under Node's test runner. The VS Code end-to-end
# suites (code-server + Chromium) are driven from test/system/, so one summary counts them all.
# First run on a new machine also installs the e2e toolchain (e2e/setup.sh, a few minutes).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 2
fi
node esbuild.mjs || { echo "build failed" >&2; exit 2; }
npx tsc -p . --noEmit || { echo "type check failed" >&2; exit 2; }
npx eslint server/src client/src test bench || { echo "ESLint found problems (npm run lint)" >&2; exit 2; }
npx prettier --check --log-level warn "server/src/**/*.ts" "client/src/**/*.ts" "test/**/*.ts" "bench/**/*.ts" || { echo "Not formatted: run npm run format" >&2; exit 2; }

if [ "${SCIM_AGENTS_SKIP_E2E:-}" != "1" ]; then
  bash e2e/setup.sh || { echo "e2e setup failed: see the message above (npm test needs apt-get and the npm registry once)" >&2; exit 2; }
fi

left_out=$(mktemp)
mapfile -t files < <(bash test/suites.sh 2>"$left_out")
# One file at a time: the interop and e2e suites start servers and a browser, and the
# machines have two cores.
node --test --test-concurrency=1 "${files[@]}"
status=$?
# After the runner's summary, so nobody reads its counts as including the browser suites.
cat "$left_out" >&2
rm -f "$left_out"
exit $status
