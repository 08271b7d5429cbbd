/* tests/fuzz/fuzz_roster.c - libFuzzer target for the roster CSV import
 * (hubctl import: hub_roster_import, its only public entry), the input being the file. The store starts each time from the
 * same two stations and one member; the importer runs with force when
 * the input's length is odd. No input may crash; a refused import
 * changes nothing; what is imported is what the roster rules allow. */
#define _GNU_SOURCE             /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>


#include "base/log.h"
#include "hub/hub_db.h"
#include "hub/hub_db_int.h"   /* the raw handle, to check the rules */
#include "hub/hub_roster.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hub_db *db;
static FILE *devnull;
static char dir[64], dbpath[128], path[64];
static int fd = -1;

static void cleanup(void)
{
    char p[160];

    hub_db_close(db);
    db = NULL;
    for (int i = 0; i < 6; i++) {
        static const char *const sfx[] = { "", "-wal", "-shm", "-fleet",
                                           "-fleet-wal", "-fleet-shm" };
        snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
}

static void sql(const char *q)
{
    if (sql_exec(db->db, q) != SQL_OK)
        abort();
}

static int64_t count(const char *q)
{
    struct sql_stmt *st = sql_prepare(db->db, q, false);
    int64_t n = -1;

    if (!st)
        abort();
    if (sql_step(st) == SQL_ROW)
        n = sql_col_int(st, 0);
    sql_finalize(st);
    return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_LVL_ERROR);
    /* In memory where there is a tmpfs: each input is a transaction. */
    strcpy(dir, access("/dev/shm", W_OK) == 0 ? "/dev/shm/fuzz-roster.XXXXXX"
                                              : "/tmp/fuzz-roster.XXXXXX");
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(dbpath, sizeof dbpath, "%s/hub.db", dir);
    fd = memfd_create("fuzz-roster", 0);
    devnull = fopen("/dev/null", "w");
    if (fd < 0 || !devnull || hub_db_open(dbpath, &db) != ERR_OK ||
        hub_db_station_add(db, "sq-hongqi-01", "Hongqi") != ERR_OK ||
        hub_db_station_add(db, "sq-east-02", "East") != ERR_OK)
        abort();
    atexit(cleanup);
    sql("PRAGMA synchronous=OFF");
    sql("INSERT INTO work_units VALUES('edu', '区教育局', '红旗社区')");
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return 0;
}

static void reset(void)
{
    sql("DELETE FROM members; DELETE FROM changes;"
        "INSERT INTO members(member_no, name, phone, community, station,"
        " active) VALUES('HQ0001','王芳','13800138000',"
        "'红旗社区','sq-hongqi-01',1)");
}

/* Every active member on file obeys the roster's rules. */
static void check_members(void)
{
    if (count("SELECT count(*) FROM members WHERE length(member_no) > 31"
              " OR length(CAST(name AS BLOB)) > 63 OR name = ''"
              " OR length(phone) != 11 OR phone GLOB '*[^0-9]*'"
              " OR substr(phone, 1, 1) != '1'"
              " OR length(CAST(community AS BLOB)) > 63 OR community = ''"
              " OR station NOT IN (SELECT id FROM stations)"
              " OR (work_unit <> '' AND work_unit NOT IN"
              "  (SELECT code FROM work_units))"
              " OR reg_kind NOT IN ('', 'residence', 'paired')") != 0 ||
        count("SELECT count(*) FROM changes WHERE json_valid(data) = 0")
        != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool force = size & 1;
    int imported = -1;
    err_code e;

    reset();
    if (ftruncate(fd, 0) != 0 ||
        (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();
    /* replace_all as force: the guard against a truncated roster is
     * exercised when they differ, i.e. never here; the rules are. */
    e = hub_roster_import(db, path, force, force, devnull, &imported);
    if (e != ERR_OK) {
        /* Refused (or failed): nothing changed. */
        if (imported != 0 || (!force && e != ERR_INVAL) ||
            count("SELECT count(*) FROM changes") != 0 ||
            count("SELECT count(*) FROM members WHERE active = 1") != 1)
            abort();
        return 0;
    }
    if (imported < 0 || (size_t)imported > size / 10 ||
        count("SELECT count(*) FROM members") < imported)
        abort();
    check_members();
    return 0;
}
