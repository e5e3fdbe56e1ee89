#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: initdb in a temp dir, start it on a free
# port (Unix socket only), export DATABASE_URL, run "$@", then stop and delete the cluster.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
DIR=$(mktemp -d /tmp/convene-pg.XXXXXX)
RUN_AS=()
if [ "$(id -u)" = 0 ]; then  # PostgreSQL refuses to run as root
  chown postgres:postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U convene --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
"${RUN_AS[@]}" "$PGBIN/createdb" -h "$DIR" -p "$PORT" -U convene convene
export DATABASE_URL="postgres://convene@/convene?host=${DIR}&port=${PORT}"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') running in $DIR on port $PORT"
"$@"
