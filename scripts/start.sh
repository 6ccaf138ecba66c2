#!/usr/bin/env bash
# npm start: the main job on the embedded default. Builds, starts the local SCIM sandbox,
# lints the examples, provisions them into the sandbox through the CLI, prints what the
# server now holds, then opens the examples in VS Code in the browser (code-server) with the
# extension installed and pointed at the sandbox. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
node esbuild.mjs

DATA=${SCIM_AGENTS_DATA:-.scim-agents/sandbox}
PORT=${SCIM_AGENTS_PORT:-8787}
BASE="http://127.0.0.1:$PORT/scim/v2"
LOG=$(mktemp -t scim-agents-sandbox.XXXXXX.log)

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

if [ -f e2e/lib/open-editor.mjs ]; then
  echo; echo "== Opening the examples in VS Code (code-server)"
  echo "(first run on a machine: installing code-server, Node 24 and Chromium into a cache, a few minutes)"
  bash e2e/setup.sh >/dev/null || { echo "Could not set up code-server (see: bash e2e/setup.sh). The sandbox keeps running; Ctrl-C stops it."; wait "$SANDBOX"; exit 0; }
  node e2e/lib/open-editor.mjs --folder examples --endpoint "$BASE" &
  EDITOR_PID=$!
  wait "$EDITOR_PID"
else
  echo; echo "The sandbox keeps running; press Ctrl-C to stop it."
  wait "$SANDBOX"
fi
