#!/usr/bin/env bash
# `make run`: migrate, load demo data into an empty database, start the demo recognition worker on the bundled
# sample feed, then serve the web app in production mode. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
anpr db upgrade
anpr demo-data --if-empty
anpr reads purge
mkdir -p var
worker_log="${ANPR_DATA_DIR:-var}/demo-worker.log"
if [ "${ANPR_DEMO_WORKER:-1}" = "1" ]; then
  anpr worker --camera CAM-NVL-001 --demo --worker-id demo-worker >"$worker_log" 2>&1 &
  worker_pid=$!
  trap 'kill $worker_pid 2>/dev/null || true' EXIT INT TERM
  echo "demo worker reading the sample feed into camera CAM-NVL-001 (log: $worker_log)"
fi
echo "anpr-gov on http://localhost:${ANPR_PORT:-3000}  (Ctrl-C to stop)"
reflex run --env prod --single-port --loglevel warning
