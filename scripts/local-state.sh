# Sourced by dev/test: local secrets, migrations and the seeded demo site for a wrangler state dir.
# The demo site's stats token is for local development only (README.md, "Local demo").
DEMO_STATS_TOKEN="dst_demo_local_only"

ensure_dev_vars() {
  if [[ ! -f "$ROOT/.dev.vars" ]]; then
    printf 'ADMIN_TOKEN=dev-admin-token\nSIGNING_SECRET=%s\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" > "$ROOT/.dev.vars"
    echo "created .dev.vars (ADMIN_TOKEN=dev-admin-token, random SIGNING_SECRET)"
  fi
}

# local_configs <dir> <vars-file>: both workers' configs for a local run, in <dir>/hot and
# <dir>/console, with absolute paths, no build step (scripts/build has run), and each with its own
# copy of <vars-file> as .dev.vars: `wrangler dev` gives --var and --env-file to the first config
# only, and every other worker reads the .dev.vars beside its own config.
local_configs() {
  local dir="$1" vars="$2"
  mkdir -p "$dir/hot" "$dir/console"
  sed -e '/^\[build\]/,/^command/d' \
      -e "s|^main = .*|main = \"$ROOT/build/index.js\"|" \
      -e "s|^directory = .*|directory = \"$ROOT/www\"|" \
      -e "s|^migrations_dir = .*|migrations_dir = \"$ROOT/migrations\"|" \
      "$ROOT/wrangler.toml" > "$dir/hot/wrangler.toml"
  sed -e '/^\[build\]/,/^command/d' \
      -e "s|^main = .*|main = \"$ROOT/build-console/index.js\"|" \
      "$ROOT/scripts/console.wrangler.toml" > "$dir/console/wrangler.toml"
  cp "$vars" "$dir/hot/.dev.vars"
  cp "$vars" "$dir/console/.dev.vars"
}

# dev_both <configs-dir> <persist-dir> <port> [wrangler dev options…]: both workers in one workerd
# session (the hot worker first: it serves the port), sharing local KV, D1 and queues.
dev_both() {
  local dir="$1" state="$2" port="$3"; shift 3
  exec wrangler dev -c "$dir/hot/wrangler.toml" -c "$dir/console/wrangler.toml" --local --ip 127.0.0.1 --port "$port" \
    --persist-to "$state" --show-interactive-dev-session=false "$@" </dev/null
}

# migrate_and_seed <persist-dir> [configs-dir]
migrate_and_seed() {
  local state="$1" config=()
  [[ -n "${2:-}" ]] && config=(-c "$2/hot/wrangler.toml")
  wrangler d1 migrations apply DB "${config[@]}" --local --persist-to "$state" </dev/null >/dev/null
  local hash; hash=$(printf '%s' "$DEMO_STATS_TOKEN" | sha256sum | cut -d' ' -f1)
  wrangler d1 execute DB "${config[@]}" --local --persist-to "$state" </dev/null >/dev/null --command \
    "INSERT OR IGNORE INTO sites (id, name, hosts, token_sha256, created_at) VALUES ('demo', 'Demo', '[\"localhost\",\"127.0.0.1\"]', '$hash', 0)"
}

# wait_for <url> <seconds>
wait_for() {
  local url="$1" until=$(( $(date +%s) + $2 ))
  while (( $(date +%s) < until )); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.3
  done
  return 1
}
