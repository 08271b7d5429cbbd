# tests/support/pg_cluster.sh - a throwaway PostgreSQL 15 cluster for the
# hub's store tests. Source it, then:
#   pg_start        initdb and start a cluster in a new temp dir, on a
#                   unix socket there only (no TCP port is opened); sets
#                   PG_DIR, PG_BIN and PG_SKIP (why it cannot, or "")
#   pg_createdb N   a fresh database N; prints its URL for hubd --store
#   pg_stop         stop it and remove the dir (call it from a trap)
# Under root the cluster runs as the unprivileged user `postgres` (made by
# Debian's postgresql-common), since PostgreSQL refuses to run as root.
# fsync is off: these clusters hold test data only and never outlive a
# run; durability is the engine's own, tested by its authors. PG_OPTS adds
# server options (a benchmark: PG_OPTS="-c fsync=on -c full_page_writes=on").

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=""
PG_SKIP=""
PG_PORT=5432            # names the socket file in PG_DIR only

pg_as() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    if [ ! -x "$PG_BIN/initdb" ]; then
        PG_SKIP="PostgreSQL 15 is not installed ($PG_BIN/initdb)"
        return 1
    fi
    PG_USER=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            PG_SKIP="running as root and there is no unprivileged user postgres"
            return 1
        fi
        PG_USER=postgres
    fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hubpg.XXXXXX") || return 1
    chmod 700 "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$PG_DIR"
    if ! pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres \
            --auth=trust -E UTF8 --locale=C --no-sync \
            >"$PG_DIR/initdb.log" 2>&1; then
        PG_SKIP="initdb failed: $(tail -1 "$PG_DIR/initdb.log")"
        return 1
    fi
    if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
            -w -t 60 -o "-k $PG_DIR -p $PG_PORT -c listen_addresses=''
            -c fsync=off -c full_page_writes=off -c max_connections=200
            ${PG_OPTS:-}" \
            start >/dev/null 2>&1; then
        PG_SKIP="the server did not start: $(tail -1 "$PG_DIR/server.log")"
        return 1
    fi
    return 0
}

pg_createdb() {
    "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U postgres "$1" || return 1
    echo "postgresql:///$1?host=$PG_DIR&port=$PG_PORT&user=postgres"
}

# Run SQL against database N: pg_psql N 'SELECT ...' (one value per line).
pg_psql() {
    "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$1" -XAtq \
        -v ON_ERROR_STOP=1 -c "$2"
}

# Restart the server (fast: connections are closed, as in a failover).
pg_restart() {
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 restart \
        >/dev/null 2>&1
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
            >/dev/null 2>&1
    fi
    rm -rf "$PG_DIR"
    PG_DIR=""
}

# Run as a command: `sh pg_cluster.sh restart DIR` (what tests/test_hub_pg.c
# is given in PG_RESTART).
if [ "${1:-}" = restart ] && [ -n "${2:-}" ]; then
    PG_DIR=$2
    PG_USER=$(stat -c %U "$PG_DIR")
    pg_restart
fi
