# Shared by scripts/start and scripts/test: install what is missing.
# Sourced, not run. Works on Debian 12 and Ubuntu 22.04+, as root or with sudo.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO
# Cargo's default target dir unless the caller chose another one.
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"

# Packages to build the workspace and the Tauri shell (webkit2gtk 4.1).
BUILD_PACKAGES=(build-essential pkg-config file libssl-dev libwebkit2gtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev libasound2-dev)
# Packages for the tests: headless X, WebDriver, audio loopback, evidence verifiers;
# x11-utils (xwininfo: the e2e window-title check), python3 (the e2e reads a vault
# id with its sqlite3 module; python3-xlib closes the window as a window manager
# would), sqlite3 (tests/cli hand-edit vault files).
TEST_PACKAGES=(xvfb webkit2gtk-driver pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox
  imagemagick minisign age openssl poppler-utils dbus x11-utils python3 python3-xlib sqlite3)

say() { printf '\n==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root or sudo to run: $*"
  fi
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

APT_UPDATED=0
apt_install() {
  local missing=() p
  for p in "$@"; do is_installed "$p" || missing+=("$p"); done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "apt packages: all ${#} present"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  say "installing with apt: ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    --no-install-recommends "${missing[@]}"
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    say "cargo not found: installing Rust (stable, minimal profile) with rustup into $HOME/.cargo"
    if command -v rustup >/dev/null 2>&1; then
      rustup default stable
    else
      apt_install curl ca-certificates
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    fi
    export PATH="$HOME/.cargo/bin:$PATH"
    command -v cargo >/dev/null 2>&1 || die "Rust installation failed"
  fi
  echo "rust: $(rustc --version)"
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "node/npm not found: installing them with apt"
    local pkgs=()
    command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
    command -v npm >/dev/null 2>&1 || pkgs+=(npm)
    apt_install "${pkgs[@]}"
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 18 ] || die "node $(node --version) is too old: the UI build (Vite 6) needs node 18 or newer"
  echo "node: $(node --version), npm: $(npm --version)"
}

# npm ci in a directory, unless node_modules already matches its lock file.
npm_ci() {
  local dir="$1"
  if [ -f "$dir/node_modules/.package-lock.json" ] && cmp -s "$dir/package-lock.json" "$dir/node_modules/.relato-lock"; then
    echo "npm: $dir/node_modules is up to date"
    return 0
  fi
  say "npm ci in ${dir#"$REPO"/}"
  (cd "$dir" && npm ci --no-audit --no-fund) && cp "$dir/package-lock.json" "$dir/node_modules/.relato-lock"
}

build_ui() {
  say "building the UI (ui/dist)"
  (cd "$REPO/ui" && npm run build)
}
