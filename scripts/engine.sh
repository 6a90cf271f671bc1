#!/usr/bin/env bash
# Build (or reuse) the Pulumi CLI and the Node.js language host from Go modules, offline.
#
# Prints the engine root (a folder holding bin/pulumi) on its last line of stdout.
# Order of preference:
#   1. PULUMI_FREEBSD_ENGINE_ROOT, if it holds bin/pulumi at the wanted version;
#   2. a `pulumi` on PATH at the wanted version with the Node language host beside it;
#   3. the cache folder (outside the clone, reused across runs on the same machine);
#   4. a fresh build into that cache folder.
# Why a wrapper module: `go install pkg@v` refuses modules with replace directives, and pulumi's
# pkg/ and the language host have them (see README "How the tests get their engine").
set -euo pipefail

V="${PULUMI_VERSION:-3.248.0}"
# Commit of tag v3.248.0; the language host module has no tags, only pseudo-versions by commit.
LH_COMMIT="${PULUMI_LANGUAGE_HOST_COMMIT:-a88168d865b7}"
CACHE="${PULUMI_FREEBSD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-freebsd}"
ROOT="$CACHE/engine/v$V"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { echo "engine: $*" >&2; }

has_version() { # $1 = path to pulumi binary
  [ -x "$1" ] && [ "$("$1" version 2>/dev/null | tr -d '\r')" = "v$V" ] &&
    [ -x "$(dirname "$1")/pulumi-language-nodejs" ]
}

ensure_dynamic_shim() { # $1 = bin folder; bundled plugins must sit next to pulumi
  local bin="$1" src
  [ -x "$bin/pulumi-resource-pulumi-nodejs" ] && return 0
  src="$HERE/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ ! -f "$src" ]; then
    src="$(cd "$HERE/.engine-build" 2>/dev/null && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3 2>/dev/null)/nodejs/dist/pulumi-resource-pulumi-nodejs" || true
  fi
  if [ -f "$src" ]; then install -m 0755 "$src" "$bin/pulumi-resource-pulumi-nodejs"; else
    # The upstream script, four lines, unchanged since 2018.
    cat >"$bin/pulumi-resource-pulumi-nodejs" <<'SH'
#!/bin/sh
PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")
if [ ! -z "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" ]; then
    node "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" $@
fi
SH
    chmod 0755 "$bin/pulumi-resource-pulumi-nodejs"
  fi
}

done_with() { # $1 = root
  ensure_dynamic_shim "$1/bin"
  log "$("$1/bin/pulumi" version) at $1/bin"
  echo "$1"
  exit 0
}

if [ -n "${PULUMI_FREEBSD_ENGINE_ROOT:-}" ] && has_version "$PULUMI_FREEBSD_ENGINE_ROOT/bin/pulumi"; then
  done_with "$PULUMI_FREEBSD_ENGINE_ROOT"
fi
if command -v pulumi >/dev/null 2>&1 && has_version "$(command -v pulumi)"; then
  p="$(readlink -f "$(command -v pulumi)")"
  if [ -w "$(dirname "$p")" ] || [ -x "$(dirname "$p")/pulumi-resource-pulumi-nodejs" ]; then
    done_with "$(dirname "$(dirname "$p")")"
  fi
fi
if has_version "$ROOT/bin/pulumi"; then done_with "$ROOT"; fi

command -v go >/dev/null 2>&1 || { log "Go is needed to build the Pulumi CLI (apt-get install golang-go, or Go >= 1.25)"; exit 1; }
log "building pulumi v$V and pulumi-language-nodejs from Go modules into $ROOT (cold: tens of minutes on 2 cores)"
start=$(date +%s)
BUILD="$CACHE/build/v$V"
mkdir -p "$BUILD" "$ROOT/bin"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
cd "$BUILD"
if [ ! -f go.mod ]; then
  go mod init local.invalid/pulumi-cli-build >&2
  go mod edit -go=1.25.11 \
    -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
fi
go get "github.com/pulumi/pulumi/pkg/v3@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V" >&2
go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$V" >&2
go get -tool "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$LH_COMMIT" >&2
go mod tidy >&2
got="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3) $(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)"
[ "$got" = "v$V v$V" ] || { log "version skew after tidy: pkg/sdk = $got, wanted v$V"; exit 1; }
tmpbin="$(mktemp -d "$ROOT/bin.XXXXXX")"
go build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$V" \
  -o "$tmpbin/" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >&2
src="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)/nodejs/dist/pulumi-resource-pulumi-nodejs"
[ -f "$src" ] && install -m 0755 "$src" "$tmpbin/pulumi-resource-pulumi-nodejs"
# Publish the binaries only once both built, so an interrupted build never looks complete.
for f in "$tmpbin"/*; do mv -f "$f" "$ROOT/bin/"; done
rmdir "$tmpbin"
log "built in $(( $(date +%s) - start ))s"
done_with "$ROOT"
