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
# Bump when the build recipe changes, so a cached engine from an older recipe is rebuilt.
RECIPE=2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { echo "engine: $*" >&2; }

has_version() { # $1 = path to pulumi binary
  [ -x "$1" ] && [ "$("$1" version 2>/dev/null | tr -d '\r')" = "v$V" ] &&
    [ -x "$(dirname "$1")/pulumi-language-nodejs" ]
}

ensure_dynamic_shim() { # $1 = bin folder; bundled plugins must sit next to pulumi
  [ -x "$1/pulumi-resource-pulumi-nodejs" ] && return 0
  install -m 0755 "$HERE/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$1/" 2>/dev/null && return 0
  log "no pulumi-resource-pulumi-nodejs next to $1/pulumi (run npm ci first, or use a full Pulumi install)"
  exit 1
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
  done_with "$(dirname "$(dirname "$(readlink -f "$(command -v pulumi)")")")"
fi
if has_version "$ROOT/bin/pulumi" && [ "$(cat "$ROOT/bin/RECIPE" 2>/dev/null)" = "$RECIPE" ]; then done_with "$ROOT"; fi

command -v go >/dev/null 2>&1 || { log "Go is needed to build the Pulumi CLI (Go >= 1.25 on PATH)"; exit 1; }
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
BUILD="$CACHE/build/v$V"
mkdir -p "$BUILD/cli" "$BUILD/langhost" "$ROOT/bin"
start=$(date +%s)
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$V"
CLIP=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
tmpbin="$(mktemp -d "$ROOT/bin.XXXXXX")"
trap 'rm -rf "$tmpbin"' EXIT

# --- the CLI: a wrapper module requiring pkg/v3 and sdk/v3 at exactly v$V ---------------------
log "building pulumi v$V from Go modules (cold: about 10 minutes on 2 cores)"
cd "$BUILD/cli"
if [ ! -f go.mod ]; then
  go mod init local.invalid/pulumi-cli-build >&2
  go mod edit -go=1.25.11 -replace=github.com/atotto/clipboard=$CLIP
fi
# -tool records the main package, so that tidy keeps (and pins) what it needs.
go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V" >&2
go mod tidy >&2
got="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3) $(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)"
[ "$got" = "v$V v$V" ] || { log "version skew: pkg/sdk resolved to $got, wanted v$V"; exit 1; }
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LDFLAGS" -o "$tmpbin/" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
SDKDIR="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"

# --- the Node language host ---------------------------------------------------------------------
# Preferred: the host module at the release commit. It has no tags upstream, only pseudo-versions,
# and this workplace's Go proxy refuses it ("403 This module version is not available"), so the
# fallback takes the host's source from the last sdk/v3 release that still contained it (v3.68.0,
# before it moved to a module of its own), compiles it against sdk/v3 v$V, and applies the minimal
# edits the newer engine API needs (listed below, each checked so a drift fails loudly).
cd "$BUILD/langhost"
if { [ -f go.mod ] && grep -q pulumi-language-nodejs/v3 go.mod; } || {
     rm -f go.mod go.sum
     go mod init local.invalid/pulumi-langhost-build >&2 &&
     go mod edit -go=1.25.11 -replace=github.com/atotto/clipboard=$CLIP &&
     go get -tool "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$LH_COMMIT" >&2; }; then
  log "building pulumi-language-nodejs at $LH_COMMIT"
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LDFLAGS" -o "$tmpbin/" \
    github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >&2
else
  LH_FROM=3.68.0
  log "language host module not served; building the v$LH_FROM host source against sdk v$V"
  rm -rf go.mod go.sum src && mkdir src && cd src
  go mod init local.invalid/pulumi-langhost-build >&2
  go mod edit -go=1.25.11 -replace=github.com/atotto/clipboard=$CLIP
  OLD="$(GOFLAGS=-mod=mod go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$LH_FROM" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$OLD/nodejs/cmd/pulumi-language-nodejs" ] || { log "sdk/v3@v$LH_FROM has no language host source"; exit 1; }
  install -m 0644 "$OLD"/nodejs/cmd/pulumi-language-nodejs/{main.go,proxy.go,proxy_unix.go} .
  go get "github.com/pulumi/pulumi/sdk/v3@v$V" >&2
  edit() { # file, perl expression, description: fails when the expression no longer matches
    perl -0pi -e "\$n = ($2); END { exit(\$n ? 0 : 3) }" "$1" || { log "langhost edit failed ($3)"; exit 1; }
  }
  # 1. StreamInvoke left the ResourceMonitor service.
  edit proxy.go 's/func \(p \*monitorProxy\) StreamInvoke\(.*?\n}\n//s' "drop StreamInvoke"
  # 2. Call's request type was renamed.
  edit proxy.go 's/req \*pulumirpc\.CallRequest\b/req *pulumirpc.ResourceCallRequest/g' "ResourceCallRequest"
  # 3. Node talks to the engine's monitor directly (as newer hosts do), so monitor methods added
  #    after v$LH_FROM are not swallowed by the old forwarding proxy.
  edit main.go 's/fmt\.Sprintf\("127\.0\.0\.1:%d", handle\.Port\), pipes\.directory\(\)\)/req.GetMonitorAddress(), pipes.directory())/' "direct monitor"
  # 4. About takes an AboutRequest.
  edit main.go 's/About\(ctx context\.Context, req \*pbempty\.Empty\)/About(ctx context.Context, req *pulumirpc.AboutRequest)/' "About"
  # 5. logging.V no longer converts to bool (the guarded block only logs).
  edit main.go 's/\tif logging\.V\(5\) \{/\tif false {/' "logging.V"
  # 6. npm.Install takes the package manager.
  edit main.go 's/npm\.Install\(ctx, req\.Directory,/npm.Install(ctx, npm.AutoPackageManager, req.Directory,/' "npm.Install"
  # 8. The SDK's run script learns the project root (pulumi.runtime.getRootDirectory()) from a flag.
  edit main.go 's/(\tmaybeAppendArg\("stack", req\.GetStack\(\)\)\n)/$1\tmaybeAppendArg("root-directory", req.GetInfo().GetRootDirectory())\n/' "root-directory"
  # 7. Runtime options (typescript, nodeargs, tsconfig) arrive in RunRequest.Info, not as flags.
  edit main.go 's/(func \(host \*nodeLanguageHost\) Run\(ctx context\.Context, req \*pulumirpc\.RunRequest\) \(\*pulumirpc\.RunResponse, error\) \{\n)/$1\tif opts := req.GetInfo().GetOptions(); opts != nil {\n\t\tm := opts.AsMap()\n\t\tif v, ok := m["typescript"].(bool); ok {\n\t\t\thost.typescript = v\n\t\t}\n\t\tif v, ok := m["nodeargs"].(string); ok {\n\t\t\thost.nodeargs = v\n\t\t}\n\t\tif v, ok := m["tsconfig"].(string); ok {\n\t\t\thost.tsconfigpath = v\n\t\t}\n\t}\n/' "runtime options"
  go mod tidy >&2
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LDFLAGS" -o "$tmpbin/pulumi-language-nodejs" . >&2
  echo "pulumi-language-nodejs: v$LH_FROM source, built against sdk/v3 v$V with scripts/engine.sh edits" >"$tmpbin/LANGHOST.txt"
fi

# --- the dynamic-provider plugin: a shell script that must sit next to pulumi ---------------------
install -m 0755 "$SDKDIR/nodejs/dist/pulumi-resource-pulumi-nodejs" "$tmpbin/pulumi-resource-pulumi-nodejs"
echo "$RECIPE" >"$tmpbin/RECIPE"
# Publish only once everything built, so an interrupted build never looks complete.
for f in "$tmpbin"/*; do mv -f "$f" "$ROOT/bin/"; done
log "built in $(( $(date +%s) - start ))s"
done_with "$ROOT"
