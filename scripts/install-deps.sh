#!/usr/bin/env bash
# Installs what building (and, with "test" or "bench", testing or benchmarking) needs and is missing:
# Debian packages through apt-get (sudo when not root) and npm packages from the lock files.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-build}"

packages=(build-essential cmake ninja-build pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libcurl4-openssl-dev libsodium-dev libssl-dev libgoogle-perftools-dev
  libspdlog-dev libcli11-dev libhowardhinnant-date-dev tzdata libgtest-dev libgmock-dev libbenchmark-dev)
case "$mode" in
  test) packages+=(postgresql-15 chromium procps curl nginx-light openssl) ;;
  bench) packages+=(wrk curl sqlite3 postgresql-15 procps) ;;
esac
# Node.js 18 or newer: keep one that is already there (it may come from elsewhere than Debian).
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages, from the lock files, only when the lock file changed since the last install.
npm_ci() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "Installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci web
[ "$mode" = test ] && npm_ci e2e
exit 0
