#!/usr/bin/env bash
# The action's install path, timed on this machine: packs BINARY as the
# release workflow packs a Linux archive (binary, README, LICENSE,
# completions, man pages; tar.gz and .sha256), serves it on 127.0.0.1,
# and then, as a fresh runner would: installs it with scripts/install.sh
# (download, checksum, unpack), checks and builds the example site
# (content/ at the repository's top) and the second example
# (examples/cluj). Prints sizes and wall-clock times.
#
#   scripts/bench-install.sh target-release/release/drehbuch
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:?usage: scripts/bench-install.sh BINARY}")
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
case "$(uname -m)" in
  x86_64) target=x86_64-unknown-linux-musl ;;
  aarch64) target=aarch64-unknown-linux-musl ;;
  *) echo "no release target for $(uname -m)" >&2; exit 1 ;;
esac
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

name="drehbuch-v$version-$target"
mkdir -p "$work/pack/$name/completions" "$work/dist" "$work/home"
install -m 755 "$binary" "$work/pack/$name/drehbuch"
cp README.md LICENSE "$work/pack/$name/"
"$binary" completions bash > "$work/pack/$name/completions/drehbuch.bash"
"$binary" completions zsh > "$work/pack/$name/completions/_drehbuch"
"$binary" completions fish > "$work/pack/$name/completions/drehbuch.fish"
"$binary" completions powershell > "$work/pack/$name/completions/_drehbuch.ps1"
"$binary" man --dir "$work/pack/$name/man"
tar -C "$work/pack" --owner=0 --group=0 -czf "$work/dist/$name.tar.gz" "$name"
(cd "$work/dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
(cd "$work/pack" && zip -q -r -9 "$work/$name.zip" "$name")

port=$((20000 + RANDOM % 20000))
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/dist" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done

ms() { date +%s%3N; }
start=$(ms)
HOME="$work/home" sh scripts/install.sh --base-url "http://127.0.0.1:$port/" --to "$work/home/bin" 2>/dev/null
installed=$(ms)
"$work/home/bin/drehbuch" check --root . >/dev/null
"$work/home/bin/drehbuch" build --root . --output "$work/site" >/dev/null
built=$(ms)
"$work/home/bin/drehbuch" check --root examples/cluj >/dev/null
"$work/home/bin/drehbuch" build --root examples/cluj --output "$work/cluj" >/dev/null
cluj=$(ms)

size() { stat -c %s "$1" | awk '{ printf "%.1f MiB (%d bytes)", $1 / 1048576, $1 }'; }
echo "binary:              $(size "$binary")"
echo "archive (tar.gz):    $(size "$work/dist/$name.tar.gz")"
echo "archive (zip -9):    $(size "$work/$name.zip")"
echo "install (download, checksum, unpack): $((installed - start)) ms"
echo "check + build, example site:          $((built - installed)) ms"
echo "check + build, examples/cluj:         $((cluj - built)) ms"
echo "fresh machine to built example site:  $((built - start)) ms"
