#!/bin/sh
# Installs a drehbuch release binary for this machine, after checking the
# archive against its published SHA-256. POSIX sh; needs curl or wget,
# tar (unzip or PowerShell on Windows), and sha256sum, shasum or openssl.
#
#   sh install.sh [--version 0.1.0] [--to DIR] [--base-url URL] [--target TRIPLE]
#
# --version   the release to install (default: the one this script belongs to)
# --to        where to put the binary (default: ~/.local/bin)
# --base-url  where the release's archives are (default: the GitHub release
#             of that version); a mirror or a local copy works the same way
# --target    the platform's target triple, instead of detecting it
#
# The same settings can come from DREHBUCH_VERSION, DREHBUCH_INSTALL_DIR,
# DREHBUCH_BASE_URL and DREHBUCH_TARGET. Nothing is installed unless the
# archive's checksum matches.
set -eu

repository="https://github.com/drehbuch/drehbuch"
version="${DREHBUCH_VERSION:-0.1.0}"
dir="${DREHBUCH_INSTALL_DIR:-${HOME:-.}/.local/bin}"
base_url="${DREHBUCH_BASE_URL:-}"
target="${DREHBUCH_TARGET:-}"

say() { printf 'drehbuch install: %s\n' "$*" >&2; }
fail() {
  printf 'drehbuch install: error: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '  help: %s\n' "$line" >&2; done
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || fail "--version needs a value, e.g. --version 0.1.0"; version="$2"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --to) [ $# -ge 2 ] || fail "--to needs a folder"; dir="$2"; shift 2 ;;
    --to=*) dir="${1#*=}"; shift ;;
    --base-url) [ $# -ge 2 ] || fail "--base-url needs a URL"; base_url="$2"; shift 2 ;;
    --base-url=*) base_url="${1#*=}"; shift ;;
    --target) [ $# -ge 2 ] || fail "--target needs a target triple"; target="$2"; shift 2 ;;
    --target=*) target="${1#*=}"; shift ;;
    -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) fail "unknown argument '$1'" "see: sh install.sh --help" ;;
  esac
done

version="${version#v}"
case "$version" in
  ''|*[!0-9A-Za-z.+-]*) fail "'$version' is not a version" "give one like --version 0.1.0" ;;
esac
[ -n "$base_url" ] || base_url="$repository/releases/download/v$version"
base_url="${base_url%/}"

# The platform, as the release names its archives.
if [ -z "$target" ]; then
  os=$(uname -s 2>/dev/null || echo unknown)
  arch=$(uname -m 2>/dev/null || echo unknown)
  case "$arch" in
    x86_64|amd64|AMD64) arch=x86_64 ;;
    aarch64|arm64|ARM64) arch=aarch64 ;;
  esac
  case "$os/$arch" in
    Linux/x86_64|Linux/aarch64) target="$arch-unknown-linux-musl" ;;
    Darwin/x86_64|Darwin/aarch64) target="$arch-apple-darwin" ;;
    MINGW*/x86_64|MSYS*/x86_64|CYGWIN*/x86_64|Windows_NT/x86_64) target="x86_64-pc-windows-msvc" ;;
    *)
      fail "there is no drehbuch release binary for this platform ($os $arch)" \
        "binaries exist for Linux (x86_64, aarch64), macOS (x86_64, arm64) and Windows (x86_64)" \
        "elsewhere build it from source: cargo install --locked drehbuch" ;;
  esac
fi
case "$target" in
  *-windows-*) archive_ext=zip; binary=drehbuch.exe ;;
  *) archive_ext=tar.gz; binary=drehbuch ;;
esac
name="drehbuch-v$version-$target"
archive="$name.$archive_ext"

# Tools: a downloader and a SHA-256.
if command -v curl >/dev/null 2>&1; then
  download() { curl --proto '=https,http' --fail --silent --show-error --location --retry 3 --output "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  download() { wget -q -O "$2" "$1"; }
else
  fail "neither curl nor wget is installed" "install one of them (apk add curl, apt-get install curl)"
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
elif command -v openssl >/dev/null 2>&1; then
  sha256() { openssl dgst -sha256 "$1" | sed 's/^.*= *//'; }
else
  fail "no SHA-256 tool found (sha256sum, shasum or openssl)" "install coreutils or openssl"
fi

work=$(mktemp -d 2>/dev/null || mktemp -d -t drehbuch-install)
trap 'rm -rf "$work"' EXIT INT TERM

say "downloading $base_url/$archive"
download "$base_url/$archive" "$work/$archive" ||
  fail "cannot download $base_url/$archive" "is $version a drehbuch release, with a binary for $target?"
download "$base_url/$archive.sha256" "$work/$archive.sha256" ||
  fail "cannot download $base_url/$archive.sha256" "every release archive has a .sha256 file beside it"

expected=$(cut -d ' ' -f 1 <"$work/$archive.sha256" | tr -d '\r\n' | tr 'A-F' 'a-f')
actual=$(sha256 "$work/$archive")
case "$expected" in
  *[!0-9a-f]*|'') expected="" ;;
esac
if [ ${#expected} -ne 64 ]; then
  fail "$archive.sha256 holds no SHA-256 checksum" "nothing was installed"
fi
if [ "$expected" != "$actual" ]; then
  fail "checksum mismatch for $archive: expected $expected, got $actual" \
    "nothing was installed; the download is damaged or not the published release" \
    "try again; if it persists, report it at $repository/issues"
fi
say "checksum verified ($actual)"

mkdir "$work/unpacked"
if [ "$archive_ext" = zip ]; then
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$work/$archive" -d "$work/unpacked"
  elif command -v powershell.exe >/dev/null 2>&1; then
    powershell.exe -NoProfile -Command "Expand-Archive -LiteralPath '$work/$archive' -DestinationPath '$work/unpacked'"
  else
    fail "cannot unpack $archive: neither unzip nor PowerShell is installed"
  fi
else
  tar -xzf "$work/$archive" -C "$work/unpacked"
fi
unpacked="$work/unpacked/$name/$binary"
[ -f "$unpacked" ] || fail "$archive does not hold $name/$binary" "nothing was installed"

mkdir -p "$dir" || fail "cannot create $dir" "choose another folder with --to"
# Copy beside the target, then rename: a running drehbuch is never half
# overwritten, and a failed copy leaves the old binary in place.
cp "$unpacked" "$dir/.$binary.new" || fail "cannot write into $dir" "choose another folder with --to"
chmod 755 "$dir/.$binary.new"
mv -f "$dir/.$binary.new" "$dir/$binary"
say "installed $("$dir/$binary" -V) into $dir"
case ":${PATH:-}:" in
  *":$dir:"*) ;;
  *) say "$dir is not on PATH; add it, or run $dir/$binary" ;;
esac
