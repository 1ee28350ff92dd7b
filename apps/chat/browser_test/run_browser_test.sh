#!/usr/bin/env bash
# CTest's browser.chat: installs playwright-core (package-lock.json) into MODULES_DIR when it is
# not there yet, then runs chat_browser_test.mjs against the chat server at SERVER.
#   run_browser_test.sh SERVER MODULES_DIR SCREENSHOT_DIR
# Exits 77 (CTest's SKIP_RETURN_CODE) with a loud SKIPPED line when node, npm or Chromium are
# missing or npm cannot install; tools/bootstrap installs the Debian packages.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=$1 modules=$2 screenshots=$3

skip() {
    echo "******** SKIPPED browser.chat: $* ********" >&2
    exit 77
}
command -v node >/dev/null || skip "node is not installed (apt-get install nodejs npm)"
command -v npm >/dev/null || skip "npm is not installed (apt-get install npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || skip "playwright-core needs Node 20 or later; this is Node $node_major"
[[ -x /usr/bin/chromium ]] || skip "/usr/bin/chromium is not installed (apt-get install chromium)"

mkdir -p "$modules"
if ! cmp -s "$here/package-lock.json" "$modules/package-lock.json" ||
    [[ ! -f $modules/node_modules/playwright-core/package.json ]]; then
    cp "$here/package.json" "$here/package-lock.json" "$modules/"
    echo "browser.chat: npm ci in $modules" >&2
    (cd "$modules" && npm ci --no-audit --no-fund --loglevel=error) ||
        skip "npm could not install playwright-core into $modules"
fi
# The case of two chat processes on one Redis needs Debian's redis-server (tools/bootstrap).
[[ -x /usr/bin/redis-server ]] || skip "/usr/bin/redis-server is not installed (apt-get install redis-server)"
exec node "$here/chat_browser_test.mjs" --server "$server" --modules "$modules" \
    --screenshots "$screenshots" --redis-server /usr/bin/redis-server
