#!/usr/bin/env bash
# The production stack as plain processes on this machine, no containers:
# gunicorn, a Celery worker and Celery beat against PostgreSQL and Redis, with
# production settings (DEBUG=0), and an SMTP sink that keeps every message as
# a file.
#
#   scripts/stack.sh up      start everything, wait for /healthz; prints the URL
#   scripts/stack.sh status  what runs, and /healthz
#   scripts/stack.sh down    stop everything (SIGTERM, then SIGKILL after a wait)
#   scripts/stack.sh smoke   the end-to-end smoke test (tests/ops/test_stack_smoke.py)
#
# It takes the PostgreSQL server and credentials from DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/bulletin) but uses a database of its own,
# <name>_stack (STACK_DB_NAME), which `up` creates afresh and `down` drops
# (STACK_KEEP_DB=1 keeps it). Redis: REDIS_URL (default redis://127.0.0.1:6379/0);
# nothing is flushed. Plain http on loopback, so SECURE_SSL_REDIRECT is off;
# everything else is the production configuration.
#
# Files under STACK_DIR (default var/stack): env (the environment the processes
# run with: `set -a; . var/stack/env; set +a` to run manage.py against the
# stack), *.pid, *.log, mail/ (one .eml per delivered message).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
STACK_DIR=${STACK_DIR:-$ROOT/var/stack}
STACK_DIR=$(mkdir -p "$STACK_DIR" && cd "$STACK_DIR" && pwd)
ENV_FILE=$STACK_DIR/env
PROCESSES=(mail web worker beat)          # start order; stopped in reverse
declare -A STOP_WAIT=([beat]=15 [worker]=60 [web]=30 [mail]=10)

say() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }
clock() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(clock)" 'BEGIN { printf "%.1f", b - a }'; }

# A process is alive if it exists and is not a zombie waiting to be reaped.
alive() {
    local state
    state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

pid_of() { cat "$STACK_DIR/$1.pid" 2>/dev/null || true; }
# The pid of process $1 when it is running (else nothing, and a failure).
running_pid() {
    local pid
    pid=$(pid_of "$1")
    [ -n "$pid" ] && alive "$pid" && echo "$pid"
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Helpers in Python: the stack's database URL, creating and dropping it, checks.
pyhelp() {
    "$PY" - "$@" <<'PYTHON'
import os
import sys
import urllib.parse

command, *args = sys.argv[1:]


def stack_database_url():
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/bulletin"
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("DATABASE_URL must be a postgres:// URL for the stack")
    name = os.environ.get("STACK_DB_NAME") or (parts.path.strip("/") or "bulletin") + "_stack"
    return parts._replace(path="/" + name).geturl()


def connect_maintenance(url):
    import environ
    import psycopg2

    cfg = environ.Env.db_url_config(url)
    conn = psycopg2.connect(
        dbname="postgres", user=cfg["USER"] or None, password=cfg["PASSWORD"] or None,
        host=cfg["HOST"] or None, port=cfg["PORT"] or None, connect_timeout=5,
    )
    conn.autocommit = True
    return conn, cfg["NAME"]


if command == "database-url":
    print(stack_database_url())
elif command in ("create-db", "drop-db"):
    from psycopg2 import sql

    conn, name = connect_maintenance(args[0])
    if not name.endswith(("_stack", "_smoke")):
        sys.exit(f"refusing to drop or create {name!r}: not a stack database")
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        if command == "create-db":
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
elif command == "check-services":
    import redis

    try:
        connect_maintenance(args[0])[0].close()
    except Exception as exc:
        sys.exit(f"PostgreSQL is not reachable: {str(exc).strip()}")
    try:
        redis.Redis.from_url(args[1], socket_connect_timeout=3).ping()
    except Exception as exc:
        sys.exit(f"Redis is not reachable at {args[1]}: {exc}")
elif command == "healthz":
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(args[0] + "/healthz", timeout=5) as response:
            print(response.status, response.read().decode())
    except urllib.error.HTTPError as exc:
        print(exc.code, exc.read().decode())
        sys.exit(1)
    except OSError as exc:
        print("unreachable", exc)
        sys.exit(1)
PYTHON
}

# NAME='value' lines: read by the shell (`. env`) and by simple parsers alike.
put() {
    case "$2" in *"'"*) die "a quote in the value of $1" ;; esac
    printf "%s='%s'\n" "$1" "$2"
}

write_env() {
    local web_port=$1 smtp_port=$2 database_url=$3 redis_url=$4 secret_key
    secret_key=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(60))')
    {
        echo "# The stack's environment, written by scripts/stack.sh up."
        put DEBUG 0
        put SECRET_KEY "$secret_key"
        put ALLOWED_HOSTS "127.0.0.1,localhost"
        put SITE_URL "http://127.0.0.1:$web_port"
        put DATABASE_URL "$database_url"
        put REDIS_URL "$redis_url"
        put EMAIL_URL "smtp://127.0.0.1:$smtp_port"
        echo "# Plain http on loopback: no https redirect (the only change from production)."
        put SECURE_SSL_REDIRECT 0
        put BULLETIN_VAR_DIR "$STACK_DIR/var"
        put LOG_FORMAT json
        put WEB_CONCURRENCY "${WEB_CONCURRENCY:-2}"
        put CELERY_WORKER_CONCURRENCY "${CELERY_WORKER_CONCURRENCY:-2}"
        put GUNICORN_BIND "127.0.0.1:$web_port"
        put STACK_WEB_URL "http://127.0.0.1:$web_port"
        put STACK_MAIL_DIR "$STACK_DIR/mail"
        put PYTHONUNBUFFERED 1
        put DJANGO_SETTINGS_MODULE config.settings
    } >"$ENV_FILE"
}

load_env() {
    [ -f "$ENV_FILE" ] || die "no $ENV_FILE: run scripts/stack.sh up"
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
}

start() {
    local name=$1
    shift
    # A session of its own: `down` can find the whole process group.
    setsid "$@" >"$STACK_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$STACK_DIR/$name.pid"
}

log_tails() {
    for name in "${PROCESSES[@]}"; do
        [ -f "$STACK_DIR/$name.log" ] || continue
        printf -- '--- %s.log (last lines)\n' "$name" >&2
        tail -n 15 "$STACK_DIR/$name.log" >&2
    done
}

wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        for name in "${PROCESSES[@]}"; do
            local pid
            pid=$(pid_of "$name")
            if [ -n "$pid" ] && ! alive "$pid"; then
                say "$name exited while waiting for $what"
                log_tails
                cmd_down || true
                exit 1
            fi
        done
        if [ $SECONDS -ge $deadline ]; then
            say "timed out after ${seconds}s waiting for $what"
            log_tails
            cmd_down || true
            exit 1
        fi
        sleep 0.5
    done
}

worker_ready() { grep -q 'ready\.' "$STACK_DIR/worker.log"; }
beat_started() { grep -q 'beat: Starting' "$STACK_DIR/beat.log"; }

cmd_up() {
    local t0 t
    t0=$(clock)
    for name in "${PROCESSES[@]}"; do
        local pid
        if pid=$(running_pid "$name"); then
            die "$name is already running (pid $pid): scripts/stack.sh down first"
        fi
    done
    [ -x "$PY" ] || die "no $PY: run make install"
    local database_url redis_url web_port smtp_port
    database_url=$(pyhelp database-url)
    redis_url=${REDIS_URL:-redis://127.0.0.1:6379/0}
    pyhelp check-services "$database_url" "$redis_url" || die "services are missing"
    web_port=${STACK_PORT:-$(free_port)}
    smtp_port=${STACK_SMTP_PORT:-$(free_port)}
    rm -rf "$STACK_DIR/mail" "$STACK_DIR"/*.log "$STACK_DIR"/*.pid "$STACK_DIR/celerybeat-schedule"*
    mkdir -p "$STACK_DIR/mail" "$STACK_DIR/var"
    write_env "$web_port" "$smtp_port" "$database_url" "$redis_url"
    load_env

    t=$(clock)
    say "database ${database_url##*/}: created afresh"
    pyhelp create-db "$DATABASE_URL"
    "$PY" manage.py migrate --noinput -v 0
    "$PY" manage.py collectstatic --noinput -v 0
    "$PY" manage.py compilemessages --ignore=.venv --ignore=var -v 0
    say "migrate, collectstatic, compilemessages: $(since "$t")s"

    t=$(clock)
    start mail "$PY" scripts/mail_sink.py --port "$smtp_port" --dir "$STACK_DIR/mail"
    start web "$PY" -m gunicorn -c config/gunicorn.py config.wsgi
    # Readers first, as compose's cpu_shares has it: the worker yields the CPU to web.
    start worker nice -n 10 "$PY" -m celery -A config worker -l info -n "stack@%h" -O fair
    start beat "$PY" -m celery -A config beat -l info -s "$STACK_DIR/celerybeat-schedule"
    wait_until 90 "/healthz" pyhelp healthz "$STACK_WEB_URL"
    wait_until 90 "the worker" worker_ready
    wait_until 60 "beat" beat_started
    say "processes up and healthy: $(since "$t")s"
    say "site $STACK_WEB_URL · mail in $STACK_MAIL_DIR · logs in $STACK_DIR/*.log"
    say "up in $(since "$t0")s"
}

stop_one() {  # stop_one NAME: SIGTERM, wait, SIGKILL the group if needed; 1 if killed
    local name=$1 pid waited=0 limit t
    pid=$(pid_of "$name")
    if [ -z "$pid" ]; then
        return 0
    fi
    if ! alive "$pid"; then
        say "$name: not running"
        rm -f "$STACK_DIR/$name.pid"
        return 0
    fi
    limit=${STOP_WAIT[$name]}
    t=$(clock)
    kill -TERM "$pid" 2>/dev/null || true
    while alive "$pid" && [ "$waited" -lt $((limit * 5)) ]; do
        sleep 0.2
        waited=$((waited + 1))
    done
    local killed=0
    if alive "$pid"; then
        kill -KILL -- "-$pid" 2>/dev/null || true
        say "$name (pid $pid): did not stop within ${limit}s, killed"
        killed=1
    else
        say "$name (pid $pid): stopped in $(since "$t")s"
    fi
    # Whatever is left of its process group (pool children) goes too.
    local left="" other
    for other in $(pgrep -g "$pid" 2>/dev/null || true); do
        if alive "$other"; then left="$left $other"; fi
    done
    if [ -n "$left" ]; then
        kill -KILL -- "-$pid" 2>/dev/null || true
        say "$name: killed leftover processes:$left"
        killed=1
    fi
    rm -f "$STACK_DIR/$name.pid"
    return $killed
}

cmd_down() {
    local t0 unclean=0
    t0=$(clock)
    for ((i = ${#PROCESSES[@]} - 1; i >= 0; i--)); do
        stop_one "${PROCESSES[$i]}" || unclean=1
    done
    if [ -f "$ENV_FILE" ] && [ "${STACK_KEEP_DB:-0}" != 1 ]; then
        load_env
        pyhelp drop-db "$DATABASE_URL" && say "database ${DATABASE_URL##*/}: dropped"
    fi
    if [ $unclean = 1 ]; then
        say "down in $(since "$t0")s, NOT clean: something had to be killed"
        return 2
    fi
    say "down in $(since "$t0")s, clean"
}

cmd_status() {
    local code=0
    for name in "${PROCESSES[@]}"; do
        local pid
        if pid=$(running_pid "$name"); then
            say "$name: running (pid $pid)"
        else
            say "$name: stopped"
            code=1
        fi
    done
    if [ -f "$ENV_FILE" ]; then
        load_env
        say "healthz: $(pyhelp healthz "$STACK_WEB_URL" || true)"
    fi
    return $code
}

cmd_smoke() {
    export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bulletin}
    export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
    BULLETIN_REQUIRE_SERVICES=1 exec "$PY" -m pytest -p no:cacheprovider -q -s \
        tests/ops/test_stack_smoke.py
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    smoke) cmd_smoke ;;
    *) die "usage: scripts/stack.sh {up|status|down|smoke}" ;;
esac
