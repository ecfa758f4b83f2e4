#!/usr/bin/env bash
# make cluster: nginx on 127.0.0.1:$CLUSTER_PORT in front of two gunicorn servers (ports +10, +20), one task
# worker (RQ), PostgreSQL (database r2p_cluster) and Redis (cache, task queue) on 127.0.0.1 — started here if they
# do not answer. Each part gets the same settings a deployment on several machines would use. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
PORT=${CLUSTER_PORT:-8102}
WEB1=$((PORT + 10)); WEB2=$((PORT + 20))
DIR=$(pwd)/var/cluster
mkdir -p "$DIR"/nginx-tmp "$DIR"/media "$DIR"/static

export DJANGO_SETTINGS_MODULE=r2p.settings.loadtest   # production settings over plain HTTP on loopback
export R2P_VAR_DIR="$DIR" R2P_MEDIA_ROOT="$DIR/media"
export DATABASE_URL=${CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/r2p_cluster}
export REDIS_URL=${CLUSTER_REDIS_URL:-redis://127.0.0.1:6379/1}
export R2P_TASKS_BACKEND=rq R2P_X_ACCEL_REDIRECT=/_protected/ R2P_PROXY_COUNT=1 DB_CONN_MAX_AGE=60
export R2P_SITE_URL="http://127.0.0.1:$PORT"

redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }
if ! redis_up; then
  echo "== starting Redis on 127.0.0.1:6379"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== starting PostgreSQL on 127.0.0.1:5432"
  version=$(ls /etc/postgresql | sort -n | tail -1)
  conf=/etc/postgresql/$version/main/pg_hba.conf
  grep -q "r2p-ci trust" "$conf" || sed -i '1i host all all 127.0.0.1/32 trust # r2p-ci trust' "$conf"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
db=${DATABASE_URL##*/}
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE $db"

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py loaddemo >/dev/null
"$PY" manage.py collectstatic --noinput -v0
# The CSP source of the standalone HTML's embedded stylesheet, for nginx's /files/editions/ location.
css_hash=$("$PY" manage.py shell --no-imports -v0 -c "from assessments.publishing.html import annex_css_source_hash as h; print(h())")
sed -e "s#@ANNEX_CSS_HASH@#$css_hash#g" -e "s#@DIR@#$DIR#g" -e "s#@PORT@#$PORT#g" -e "s#@WEB1@#$WEB1#g" -e "s#@WEB2@#$WEB2#g" \
    -e "s#@STATIC@#$DIR/static#g" -e "s#@MEDIA@#$DIR/media#g" deploy/cluster/nginx.conf.template >"$DIR/nginx.conf"

pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
for web in $WEB1 $WEB2; do
  "$PY" -m gunicorn r2p.wsgi:application --bind "127.0.0.1:$web" --workers "${CLUSTER_WEB_WORKERS:-3}" \
    --preload --error-logfile "$DIR/gunicorn-$web.log" &
  pids+=($!)
done
"$PY" manage.py r2p_worker >"$DIR/worker.log" 2>&1 &
pids+=($!)
nginx -c "$DIR/nginx.conf" -p "$DIR" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
echo "r2p cluster on http://127.0.0.1:$PORT/ (nginx) → gunicorn :$WEB1 and :$WEB2; worker log $DIR/worker.log"
curl -fsS "http://127.0.0.1:$PORT/readyz"; echo
wait -n "${pids[@]}"
