#!/usr/bin/env bash
# npm start: the main job on the embedded default. Builds, starts the local SCIM sandbox,
# lints the examples, provisions them into the sandbox through the CLI, prints what the
# server now holds, then opens the examples in VS Code in the browser (code-server) with the
# extension installed and pointed at the sandbox (machine-scoped settings: the endpoint and the
# sandbox's data folder, where the extension finds its token). Ctrl-C stops everything.
#
# Nothing that holds the token is written outside the data folder: the sandbox's log is
# <data>/serve.log (mode 0600), and the token reaches the CLI through the environment only.
#
# Environment: SCIM_AGENTS_PORT (default 8787), SCIM_AGENTS_DATA (default .scim-agents/sandbox),
# SCIM_AGENTS_NO_EDITOR=1 (keep the sandbox running without opening VS Code),
# SCIM_AGENTS_NO_BUILD=1 (use the dist/ that is there).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
[ "${SCIM_AGENTS_NO_BUILD:-}" = 1 ] || node esbuild.mjs

DATA=${SCIM_AGENTS_DATA:-.scim-agents/sandbox}
PORT=${SCIM_AGENTS_PORT:-8787}
BASE="http://127.0.0.1:$PORT/scim/v2"
mkdir -p "$DATA"
chmod 700 "$DATA"
LOG="$DATA/serve.log"
( umask 077; : >"$LOG" )

node dist/cli.js serve --data "$DATA" --port "$PORT" >"$LOG" 2>&1 &
SANDBOX=$!
cleanup() { kill "$SANDBOX" 2>/dev/null || true; [ -n "${EDITOR_PID:-}" ] && kill -- "-$EDITOR_PID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

for _ in $(seq 1 100); do
  if node -e "fetch('$BASE/ServiceProviderConfig').then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"; then break; fi
  if ! kill -0 "$SANDBOX" 2>/dev/null; then cat "$LOG"; echo "The sandbox did not start." >&2; exit 1; fi
  sleep 0.1
done
echo "Sandbox SCIM server: $BASE (data in $DATA, token in $DATA/token)"
SCIM_AGENTS_TOKEN=$(cat "$DATA/token")
export SCIM_AGENTS_TOKEN

echo; echo "== scim-agents lint examples"
node dist/cli.js lint examples

if node dist/cli.js plan --help >/dev/null 2>&1; then
  echo; echo "== scim-agents plan examples/*.yaml --endpoint $BASE   (examples/wzdk follows another draft than the sandbox: lint only)"
  node dist/cli.js plan examples/*.yaml --endpoint "$BASE" || true
  echo; echo "== scim-agents apply examples/*.yaml --endpoint $BASE --yes"
  node dist/cli.js apply examples/*.yaml --endpoint "$BASE" --yes
fi

echo; echo "== What the sandbox holds now"
node -e '
const base = process.argv[1], token = process.env.SCIM_AGENTS_TOKEN;
(async () => {
  for (const type of ["Users", "Groups", "Agents", "AgenticApplications"]) {
    const r = await fetch(`${base}/${type}?count=200`, { headers: { authorization: `Bearer ${token}`, accept: "application/scim+json" } });
    const body = await r.json();
    const names = (body.Resources ?? []).map((x) => x.userName ?? (typeof x.name === "string" ? x.name : undefined) ?? x.agentUserName ?? x.displayName ?? x.id);
    console.log(`${type.padEnd(20)} ${String(body.totalResults ?? 0).padStart(3)}  ${names.join(", ")}`);
  }
})().catch((e) => { console.error(String(e)); process.exit(1); });
' "$BASE"

if [ "${SCIM_AGENTS_NO_EDITOR:-}" != 1 ] && [ -f e2e/lib/open-editor.mjs ]; then
  echo; echo "== Opening the examples in VS Code (code-server)"
  echo "(first run on a machine: installing code-server, Node 24 and Chromium into a cache, a few minutes)"
  bash e2e/setup.sh >/dev/null || { echo "Could not set up code-server (see: bash e2e/setup.sh). The sandbox keeps running; Ctrl-C stops it."; wait "$SANDBOX"; exit 0; }
  # The token stays out of the editor's environment: the extension reads it from the data folder.
  env -u SCIM_AGENTS_TOKEN node e2e/lib/open-editor.mjs --folder examples --endpoint "$BASE" --sandbox-data "$DATA" &
  EDITOR_PID=$!
  wait "$EDITOR_PID"
else
  echo; echo "The sandbox keeps running; press Ctrl-C to stop it."
  wait "$SANDBOX"
fi
