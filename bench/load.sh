#!/usr/bin/env bash
# Load (issue 19): 50 people of the demo court at once through the production stack of docs/deploy.md —
# nginx (TLS, self-signed) → gunicorn (deploy/gunicorn.conf.py, DEBUG=0) → PostgreSQL, worker running — driven by
# locust (bench/locustfile.py, headless). Everything lives under $LOAD_DIR and is stopped at the end.
#
#   bench/load.sh                     # 50 users, ramp 1/s, 180 s
#   USERS=20 DURATION=60s bench/load.sh
#   REUSE=1 bench/load.sh             # keep the database built by the previous run (no seed_demo)
#
# Prints locust's summary, the p95 over all requests, errors and the machine's load before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
USERS=${USERS:-50}
RAMP=${RAMP:-1}
DURATION=${DURATION:-180s}
PORT=${LOAD_PORT:-8443}
DB=${LOAD_DB:-tp_load}
LOAD_DIR=${LOAD_DIR:-/tmp/tianping-load}
PG="postgres://postgres@127.0.0.1:5432"

command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
[ -x .venv/bin/locust ] || .venv/bin/pip install -q -e '.[test,bench]'
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL 127.0.0.1:5432 is not running"; exit 1; }

mkdir -p "$LOAD_DIR"/{data,nginx,logs}
export DATABASE_URL="$PG/$DB" TIANPING_DATA_DIR="$LOAD_DIR/data" DEBUG=0 ALLOWED_HOSTS=127.0.0.1 \
       TIANPING_REQUIRE_MFA=0 TIANPING_X_ACCEL_REDIRECT=/_protected/media/ TIANPING_PUBLIC_URL="https://127.0.0.1:$PORT" \
       GUNICORN_BIND="unix:$LOAD_DIR/web.sock" PYTHONUNBUFFERED=1
[ -s "$LOAD_DIR/secret_key" ] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(64))" > "$LOAD_DIR/secret_key"
[ -s "$LOAD_DIR/audit_key" ] || .venv/bin/python -c "import secrets; print('1:' + secrets.token_urlsafe(48))" > "$LOAD_DIR/audit_key"
SECRET_KEY=$(cat "$LOAD_DIR/secret_key"); TIANPING_AUDIT_KEY=$(cat "$LOAD_DIR/audit_key")
export SECRET_KEY TIANPING_AUDIT_KEY

if [ -z "${REUSE:-}" ]; then
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  echo "== migrate, seed_demo (a few minutes)"
  .venv/bin/python manage.py migrate -v0
  .venv/bin/python manage.py seed_demo
else
  .venv/bin/python manage.py migrate -v0   # the code may have moved on since the database was built
fi
.venv/bin/python manage.py collectstatic --noinput -v0

# a self-signed certificate and the deploy/ site file with this run's paths
[ -s "$LOAD_DIR/nginx/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -keyout "$LOAD_DIR/nginx/key.pem" -out "$LOAD_DIR/nginx/cert.pem" 2>/dev/null
sed -e "s#unix:/run/tianping/web.sock#unix:$LOAD_DIR/web.sock#" \
    -e "s#/srv/tianping/data/#$LOAD_DIR/data/#g" \
    -e "s#/etc/ssl/tianping/fullchain.pem#$LOAD_DIR/nginx/cert.pem#" \
    -e "s#/etc/ssl/tianping/privkey.pem#$LOAD_DIR/nginx/key.pem#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$PORT ssl;#" -e "/listen \[::\]:443/d" \
    -e "s#listen 80;#listen 127.0.0.1:$((PORT + 1));#" -e "/listen \[::\]:80/d" \
    deploy/nginx-tianping.conf > "$LOAD_DIR/nginx/site.conf"
cat > "$LOAD_DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $LOAD_DIR/nginx/nginx.pid;
error_log $LOAD_DIR/logs/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log $LOAD_DIR/logs/nginx-access.log;
  client_body_temp_path $LOAD_DIR/nginx/body; proxy_temp_path $LOAD_DIR/nginx/proxy;
  fastcgi_temp_path $LOAD_DIR/nginx/fastcgi; uwsgi_temp_path $LOAD_DIR/nginx/uwsgi; scgi_temp_path $LOAD_DIR/nginx/scgi;
  include $LOAD_DIR/nginx/site.conf;
}
EOF

PIDS=()
cleanup() {
  nginx -c "$LOAD_DIR/nginx/nginx.conf" -s stop 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
.venv/bin/gunicorn -c deploy/gunicorn.conf.py tianping.wsgi >"$LOAD_DIR/logs/gunicorn.log" 2>&1 & PIDS+=($!)
.venv/bin/python manage.py worker >"$LOAD_DIR/logs/worker.log" 2>&1 & PIDS+=($!)
nginx -c "$LOAD_DIR/nginx/nginx.conf"
for _ in $(seq 1 60); do curl -ksf "https://127.0.0.1:$PORT/accounts/login/" >/dev/null && break; sleep 1; done
curl -ksf "https://127.0.0.1:$PORT/accounts/login/" >/dev/null || { echo "the site did not come up"; tail -30 "$LOAD_DIR/logs/gunicorn.log"; exit 1; }

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)  ($(nproc) cores)"
PYTHONWARNINGS="ignore:Unverified HTTPS request" .venv/bin/locust -f bench/locustfile.py --headless -u "$USERS" -r "$RAMP" -t "$DURATION" \
    --host "https://127.0.0.1:$PORT" --csv "$LOAD_DIR/load" --only-summary 2>&1 | tail -60
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/python - "$LOAD_DIR/load_stats.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
total = next(r for r in rows if r["Name"] == "Aggregated")
print(f"requests {total['Request Count']}, errors {total['Failure Count']}, median {total['Median Response Time']} ms, "
      f"p95 {total['95%']} ms, max {float(total['Max Response Time']):.0f} ms, {float(total['Requests/s']):.1f} req/s")
slow = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0))[:8]
for r in slow:
    print(f"  {r['Name']:<32} n={r['Request Count']:>5}  p50 {r['Median Response Time']:>6} ms  p95 {r['95%']:>6} ms")
EOF
