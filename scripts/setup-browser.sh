#!/usr/bin/env bash
# Installs what the browser tests in tests/browser/ need, and only what is missing:
# - Chromium and the Noto CJK fonts (so that Chinese renders in screenshots), from Debian's
#   packages (apt-get);
# - Node.js and npm (apt-get), when `node` is missing;
# - playwright-core and axe-core, from npm, into tests/browser/node_modules (`npm ci`, from the
#   lock file).
# Running it again does nothing once everything is in place. Set CHROMIUM to use another
# Chromium binary than /usr/bin/chromium (the tests read the same variable).
set -euo pipefail
cd "$(dirname "$0")/.."

chromium_bin="${CHROMIUM:-/usr/bin/chromium}"

fail() {
  echo "setup-browser: $*" >&2
  exit 1
}

have_cjk_font() {
  command -v fc-list >/dev/null 2>&1 && fc-list ':lang=zh' family | grep -qi 'Noto Sans CJK'
}

packages=()
[ -x "$chromium_bin" ] || packages+=(chromium)
have_cjk_font || packages+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

if [ "${#packages[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 ||
    fail "missing ${packages[*]}, and there is no apt-get to install them; install them by hand"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
      fail "installing ${packages[*]} needs root, and sudo is missing; run this script as root"
    sudo=(sudo)
  fi
  echo "setup-browser: installing ${packages[*]} with apt-get"
  "${sudo[@]}" apt-get update -q ||
    fail "apt-get update failed (are the Debian package mirrors reachable?)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${packages[@]}" ||
    fail "apt-get install ${packages[*]} failed"
fi

# Check what is now there, with messages that say what is wrong.
[ -x "$chromium_bin" ] || fail "no Chromium at $chromium_bin (set CHROMIUM to its path)"
"$chromium_bin" --version >/dev/null 2>&1 ||
  fail "$chromium_bin does not run: $("$chromium_bin" --version 2>&1 | tail -n 3)"
have_cjk_font || fail "no Noto Sans CJK font after installing fonts-noto-cjk (fc-list ':lang=zh')"
command -v npm >/dev/null 2>&1 || fail "node is there but npm is missing; install npm"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] ||
  fail "the browser tests need Node.js 20 or newer (playwright-core); this is $(node --version)"

# playwright-core, exactly as the lock file says. A stamp with the lock file's hash tells
# whether node_modules is already up to date with it.
cd tests/browser
stamp=node_modules/.dafu-lock.sha256
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f node_modules/playwright-core/package.json ] && [ -f "$stamp" ] &&
  [ "$(cat "$stamp")" = "$lock_hash" ]; then
  echo "setup-browser: tests/browser/node_modules is up to date"
else
  echo "setup-browser: npm ci in tests/browser"
  npm ci --no-audit --no-fund || fail "npm ci in tests/browser failed (is the npm registry reachable?)"
  echo "$lock_hash" >"$stamp"
fi

echo "setup-browser: ready ($("$chromium_bin" --version 2>/dev/null | head -n 1), node $(node --version))"
