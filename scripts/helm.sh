#!/usr/bin/env bash
# Builds helm from the Go module proxy (as scripts/db.sh builds FerretDB) and fetches the
# Kubernetes API schema the chart's rendered manifests are validated against; both cached.
#
# usage: scripts/helm.sh ensure   builds/fetches what is missing; prints two lines on stdout:
#                                   HELM=<path to the helm binary>
#                                   K8S_SWAGGER=<path to the Kubernetes OpenAPI v2 document>
#        scripts/helm.sh helm ARGS  runs the cached helm with ARGS (building it first if needed)
#
# The schema is Kubernetes v1.27.0's OpenAPI v2 document (every built-in kind's definitions),
# shipped as test data in the Go module k8s.io/kube-openapi (Apache-2.0), which helm's build
# downloads anyway. Pinned by module version and by the file's sha256. 1.27 is a floor: the
# chart uses nothing newer, so it renders for any supported cluster.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HELM_VERSION="v4.3.2"
KUBE_OPENAPI="k8s.io/kube-openapi@v0.0.0-20260721132016-d427ff9ee9ad"
SWAGGER_IN_MODULE="pkg/schemaconv/testdata/swagger.json"
SWAGGER_SHA256="ecadad734eb65fe73e9612304490398c0c9162cac9787468000fa0fa2af8ba3e"
CACHE="${STEWARD_CACHE_DIR:-$ROOT/.cache}"
HELM_BIN="$CACHE/bin/helm-$HELM_VERSION"
SWAGGER="$CACHE/kubernetes/swagger-v1.27.0.json"

log() { echo "helm.sh: $*" >&2; }
fail() { echo "helm.sh: $*" >&2; exit 1; }

need_go() {
  command -v go >/dev/null 2>&1 || fail "Go (>= 1.26) is needed to build helm $HELM_VERSION from the Go module proxy, and it is not on PATH"
}

module_dir() {
  go mod download -json "$1" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})"
}

build_helm() {
  need_go
  log "building helm $HELM_VERSION once (cached in $CACHE/bin; a few minutes) ..."
  local gobin="$CACHE/helm-build.$$"
  rm -rf "$gobin"; mkdir -p "$gobin" "$CACHE/bin"
  # -ldflags sets the version `helm version` prints, as helm's own Makefile does.
  GOBIN="$gobin" CGO_ENABLED=0 GOFLAGS=-mod=mod go install \
    -ldflags "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" >&2 || fail "building helm $HELM_VERSION failed (output above)"
  mv "$gobin/helm" "$HELM_BIN"
  rm -rf "$gobin"
}

fetch_swagger() {
  need_go
  local dir; dir="$(module_dir "$KUBE_OPENAPI")" || fail "could not download $KUBE_OPENAPI through the Go module proxy"
  local got; got="$(sha256sum "$dir/$SWAGGER_IN_MODULE" | cut -d' ' -f1)"
  [ "$got" = "$SWAGGER_SHA256" ] || fail "$KUBE_OPENAPI/$SWAGGER_IN_MODULE has sha256 $got, expected $SWAGGER_SHA256"
  mkdir -p "$(dirname "$SWAGGER")"
  cp "$dir/$SWAGGER_IN_MODULE" "$SWAGGER.tmp" && chmod u+w "$SWAGGER.tmp" && mv "$SWAGGER.tmp" "$SWAGGER"
}

ensure() {
  mkdir -p "$CACHE"
  # Parallel test runs share the cache: one builds, the others wait for it.
  exec 9>"$CACHE/helm.lock"
  flock 9
  [ -x "$HELM_BIN" ] || build_helm
  [ -s "$SWAGGER" ] || fetch_swagger
  flock -u 9
}

cmd="${1:-}"; shift || true
case "$cmd" in
  ensure) ensure; echo "HELM=$HELM_BIN"; echo "K8S_SWAGGER=$SWAGGER" ;;
  helm) ensure; exec "$HELM_BIN" "$@" ;;
  *) echo "usage: scripts/helm.sh ensure | helm ARGS..." >&2; exit 2 ;;
esac
