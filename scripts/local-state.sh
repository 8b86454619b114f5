# Sourced by dev/test: local secrets, migrations and the seeded demo site for a wrangler state dir.
# The demo site's stats token is for local development only (README.md, "Run it locally").
DEMO_STATS_TOKEN="dst_demo_local_only"

ensure_dev_vars() {
  if [[ ! -f "$ROOT/.dev.vars" ]]; then
    printf 'ADMIN_TOKEN=dev-admin-token\nSIGNING_SECRET=%s\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" > "$ROOT/.dev.vars"
    echo "created .dev.vars (ADMIN_TOKEN=dev-admin-token, random SIGNING_SECRET)"
  fi
}

# migrate_and_seed <persist-dir>
migrate_and_seed() {
  local state="$1"
  wrangler d1 migrations apply DB --local --persist-to "$state" </dev/null >/dev/null
  local hash; hash=$(printf '%s' "$DEMO_STATS_TOKEN" | sha256sum | cut -d' ' -f1)
  wrangler d1 execute DB --local --persist-to "$state" </dev/null >/dev/null --command \
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
