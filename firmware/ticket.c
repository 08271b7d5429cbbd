/* firmware/ticket.c - filing, PINs, sign-off and wish claims at the kiosk
 * (firmware/ticket.h). */
#include "firmware/ticket.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <cjson/cJSON.h>

#include "base/log.h"
#include "base/xmalloc.h"

static void trailing_digits(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && isdigit((unsigned char)s[i - 1]))
        i--;
    str_copy(out, cap, s + i);
}

void ticket_prefix(const struct config *cfg, char *prefix, size_t cap,
                   int *device)
{
    char digits[16];
    if (cfg->ticket_prefix[0]) {
        str_copy(prefix, cap, cfg->ticket_prefix);
    } else {
        trailing_digits(cfg->station_id, digits, sizeof digits);
        snprintf(prefix, cap, "%s%s", cfg->member_prefix, digits);
        for (char *p = prefix; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (!prefix[0])
            str_copy(prefix, cap, "T");
    }
    *device = cfg->ticket_device;
    if (*device <= 0) {
        trailing_digits(cfg->device_id, digits, sizeof digits);
        long v = digits[0] ? strtol(digits, NULL, 10) : 1;
        *device = v >= 1 && v <= 999 ? (int)v : 1;
    }
}

static err_code next_number(struct store *s, const struct config *cfg,
                            char *out, size_t cap)
{
    char prefix[24], head[40], val[32] = "";
    int device;
    uint64_t last = 0, kept = 0;
    ticket_prefix(cfg, prefix, sizeof prefix, &device);
    snprintf(head, sizeof head, "%s-%d-", prefix, device);
    err_code e = store_ticket_last(s, head, &last);
    if (e != ERR_OK)
        return e;
    /* The counter is also a meta row: a ticket deleted by the feed (it
     * never is today) must not free its number. */
    char key[64];
    snprintf(key, sizeof key, "ticket_counter@%s", head);
    if (store_meta_get(s, key, val, sizeof val) == ERR_OK)
        kept = strtoull(val, NULL, 10);
    if (kept > last)
        last = kept;
    snprintf(val, sizeof val, "%llu", (unsigned long long)(last + 1));
    e = store_meta_set(s, key, val);
    char full[64];
    snprintf(full, sizeof full, "%s%04llu", head,
             (unsigned long long)(last + 1));
    if (e == ERR_OK && (!ledger_ticket_ok(full) ||
                        str_copy(out, cap, full) != 0)) {
        log_error("ticket: %s is no ticket number (check ticket_prefix)",
                  full);
        e = ERR_INVAL;
    }
    return e;
}

static err_code system_random(void *buf, size_t n)
{
    return getrandom(buf, n, 0) == (ssize_t)n ? ERR_OK : ERR_IO;
}

static err_code (*random_fill)(void *, size_t) = system_random;

void ticket_set_random(err_code (*fill)(void *buf, size_t n))
{
    random_fill = fill ? fill : system_random;
}

static err_code random_pin(char pin[5])
{
    uint32_t r;
    /* Rejection sampling: no digit more likely than another. */
    do {
        if (random_fill(&r, sizeof r) != ERR_OK)
            return ERR_IO;
    } while (r >= 4294960000u);
    snprintf(pin, 5, "%04u", r % 10000);
    return ERR_OK;
}

static err_code append(struct store *s, enum event_kind kind,
                       const char *member_no, cJSON *data,
                       const struct stamp *now)
{
    struct event ev = { .kind = kind, .at = *now };
    char *text = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    if (!text || str_copy(ev.data, sizeof ev.data, text) != 0) {
        cJSON_free(text);
        return ERR_INVAL;
    }
    cJSON_free(text);
    str_copy(ev.member_no, sizeof ev.member_no, member_no);
    return store_event_append(s, &ev);
}

static err_code finish(struct store *s, err_code e, const char *what)
{
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        if (e != ERR_INVAL)
            log_error("%s: nothing stored: %s", what, err_str(e));
    }
    return e;
}

/* The checks that need no transaction, and the PIN. */
static err_code file_checks(struct store *s, const struct ticket_request *req,
                            const char **why, struct ticket_filed *out)
{
    struct ledger_type ty;
    struct ticket t;
    const char *phone = req->phone ? req->phone : "";
    *why = NULL;
    memset(out, 0, sizeof *out);
    err_code e = store_ledger_type_get(s, req->type, &ty);
    if (e == ERR_NOTFOUND ||
        (e == ERR_OK && !(req->kind == LEDGER_WISH ? ty.for_wish
                                                   : ty.for_request)))
        return *why = "unknown type", ERR_INVAL;
    if (e != ERR_OK)
        return e;
    if ((*why = ledger_text_check(req->text, LEDGER_TEXT_CHARS, true)))
        return ERR_INVAL;
    if (!ledger_phone_ok(phone))
        return *why = "malformed phone", ERR_INVAL;
    if (strlen(req->building) >= sizeof t.building ||
        strlen(req->unit) >= sizeof t.unit)
        return *why = "malformed place", ERR_INVAL;
    return random_pin(out->pin);
}

/* Inside a transaction: the number, the local ticket and the event. */
static err_code file_body(struct store *s, const struct config *cfg,
                          const struct ticket_request *req,
                          const struct stamp *now, struct ticket_filed *out)
{
    struct ticket t = { 0 };
    const char *phone = req->phone ? req->phone : "";
    err_code e = next_number(s, cfg, t.ticket, sizeof t.ticket);
    if (e == ERR_OK) {
        t.kind = req->kind;
        str_copy(t.type, sizeof t.type, req->type);
        str_copy(t.building, sizeof t.building, req->building);
        str_copy(t.unit, sizeof t.unit, req->unit);
        str_copy(t.text, sizeof t.text, req->text);
        t.state = LEDGER_REGISTERED;
        t.filed_ms = now->wall_ms;
        ledger_pin_hash(t.ticket, out->pin, t.pin_hash);
        e = store_ticket_put(s, &t);
    }
    if (e == ERR_OK) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "ticket", t.ticket);
        cJSON_AddStringToObject(d, "kind", ledger_kind_name(t.kind));
        cJSON_AddStringToObject(d, "type", t.type);
        cJSON_AddStringToObject(d, "building", t.building);
        cJSON_AddStringToObject(d, "unit", t.unit);
        cJSON_AddStringToObject(d, "text", t.text);
        cJSON_AddStringToObject(d, "pin_hash", t.pin_hash);
        if (phone[0])
            cJSON_AddStringToObject(d, "phone", phone);
        e = append(s, EVENT_LEDGER_FILE, "", d, now);
    }
    if (e == ERR_OK)
        str_copy(out->ticket, sizeof out->ticket, t.ticket);
    return e;
}

err_code ticket_file(struct store *s, const struct config *cfg,
                     const struct ticket_request *req,
                     const struct stamp *now, const char **why,
                     struct ticket_filed *out)
{
    err_code e = file_checks(s, req, why, out);
    if (e != ERR_OK)
        return e;
    e = store_begin(s);
    if (e == ERR_OK) {
        e = file_body(s, cfg, req, now, out);
        e = finish(s, e, "ticket");
    }
    if (e != ERR_OK)
        memset(out, 0, sizeof *out);
    return e;
}

err_code ticket_file_within(struct store *s, const struct config *cfg,
                            const struct ticket_request *req,
                            const struct stamp *now, const char **why,
                            struct ticket_filed *out)
{
    err_code e = file_checks(s, req, why, out);
    if (e == ERR_OK)
        e = file_body(s, cfg, req, now, out);
    if (e != ERR_OK)
        memset(out, 0, sizeof *out);
    return e;
}

/* ---- PIN ----------------------------------------------------------------- */

static int64_t lock_of(const struct ticket *t, int64_t local)
{
    return t->locked_until_ms > local ? t->locked_until_ms : local;
}

err_code ticket_pin_check(struct store *s, const char *ticket,
                          const char *pin, const struct stamp *now,
                          enum ticket_pin *r, int *left, int64_t *until)
{
    struct ticket t;
    int fails;
    int64_t local;
    char h[LEDGER_PIN_HASH];
    *left = LEDGER_PIN_TRIES;
    *until = 0;
    err_code e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_ticket_get(s, ticket, &t);
    if (e == ERR_OK)
        e = store_ticket_lock_get(s, ticket, &fails, &local);
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    *until = lock_of(&t, local);
    if (now->wall_ms < *until) {
        *r = TICKET_PIN_LOCKED;
        store_rollback(s);
        return ERR_OK;
    }
    ledger_pin_hash(t.ticket, pin, h);
    if (ledger_pin_ok(pin) && strcmp(h, t.pin_hash) == 0) {
        *r = TICKET_PIN_OK;
        e = fails ? store_ticket_lock_set(s, ticket, 0, 0) : ERR_OK;
        return finish(s, e, "pin");
    }
    fails++;
    *until = 0;
    if (fails >= LEDGER_PIN_TRIES) {
        *until = now->wall_ms + LEDGER_LOCK_MS;
        *r = TICKET_PIN_LOCKED;
        *left = 0;
        fails = 0;
    } else {
        *r = TICKET_PIN_WRONG;
        *left = LEDGER_PIN_TRIES - fails;
    }
    e = store_ticket_lock_set(s, ticket, fails, *until);
    if (e == ERR_OK) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "ticket", t.ticket);
        e = append(s, EVENT_LEDGER_PIN_FAIL, "", d, now);
    }
    return finish(s, e, "pin");
}

err_code ticket_signoff(struct store *s, const char *ticket,
                        const char *pin, bool satisfied, const char *reason,
                        const struct stamp *now, const char **why)
{
    struct ticket t;
    char h[LEDGER_PIN_HASH];
    int fails;
    int64_t local;
    const char *bad;
    *why = NULL;
    reason = reason ? reason : "";
    if ((bad = ledger_text_check(reason, LEDGER_REASON_CHARS, !satisfied)))
        return *why = strcmp(bad, "description missing") == 0
                      ? "reason missing" : "reason too long", ERR_INVAL;
    err_code e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_ticket_get(s, ticket, &t);
    if (e == ERR_OK)
        e = store_ticket_lock_get(s, ticket, &fails, &local);
    if (e == ERR_OK) {
        ledger_pin_hash(t.ticket, pin, h);
        if (now->wall_ms < lock_of(&t, local))
            *why = "ticket locked";
        else if (strcmp(h, t.pin_hash) != 0)
            *why = "wrong PIN";
        else if (!ledger_step_ok(t.kind, t.state, LEDGER_STEP_SIGNOFF))
            *why = "ticket not answered";
        if (*why)
            e = ERR_INVAL;
    }
    if (e == ERR_OK) {
        /* Shown at once; the hub's own verdict comes back in the feed. */
        t.state = satisfied ? LEDGER_CLOSED : LEDGER_REOPENED;
        if (satisfied)
            t.closed_ms = now->wall_ms;
        t.from_hub = false;
        e = store_ticket_put(s, &t);
    }
    if (e == ERR_OK) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "ticket", t.ticket);
        cJSON_AddBoolToObject(d, "satisfied", satisfied);
        cJSON_AddStringToObject(d, "reason", satisfied ? "" : reason);
        cJSON_AddStringToObject(d, "pin_hash", h);
        e = append(s, EVENT_LEDGER_SIGNOFF, "", d, now);
    }
    return finish(s, e, "sign-off");
}

/* ---- wishes -------------------------------------------------------------- */

err_code wish_claim(struct store *s, const char *ticket,
                    const char *member_no, const struct stamp *now,
                    const char **why)
{
    struct member m;
    struct ticket t;
    *why = NULL;
    err_code e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_member_get(s, member_no, &m);
    if (e == ERR_NOTFOUND)
        *why = "unknown member";
    else if (e == ERR_OK && !m.active)
        *why = "member inactive";
    if (e == ERR_OK && !*why) {
        e = store_ticket_get(s, ticket, &t);
        if (e == ERR_NOTFOUND)
            *why = "unknown ticket";
        else if (e == ERR_OK && (t.kind != LEDGER_WISH || t.claimer[0] ||
                 !ledger_step_ok(t.kind, t.state, LEDGER_STEP_ASSIGN)))
            *why = "wish not open for claims";
    }
    if (*why)
        e = ERR_INVAL;
    if (e == ERR_OK) {
        t.state = LEDGER_ASSIGNED;
        t.assigned_ms = now->wall_ms;
        str_copy(t.claimer, sizeof t.claimer, member_no);
        t.from_hub = false;          /* the hub decides: see the feed */
        e = store_ticket_put(s, &t);
    }
    if (e == ERR_OK)
        e = store_wish_claim_put(s, ticket, member_no, now->wall_ms);
    if (e == ERR_OK) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "ticket", ticket);
        e = append(s, EVENT_WISH_CLAIM, member_no, d, now);
    }
    return finish(s, e, "wish claim");
}

err_code wish_done(struct store *s, const char *ticket,
                   const char *member_no, const char *note,
                   const struct stamp *now, const char **why)
{
    struct ticket t;
    const char *bad;
    *why = NULL;
    note = note ? note : "";
    if ((bad = ledger_text_check(note, LEDGER_ANSWER_CHARS, false)))
        return *why = bad, ERR_INVAL;
    err_code e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_ticket_get(s, ticket, &t);
    if (e == ERR_NOTFOUND)
        *why = "unknown ticket";
    else if (e == ERR_OK && strcmp(t.claimer, member_no) != 0)
        *why = "not the member who claimed it";
    else if (e == ERR_OK &&
             !ledger_step_ok(t.kind, t.state, LEDGER_STEP_ANSWER))
        *why = "wish not claimed";
    if (*why)
        e = ERR_INVAL;
    if (e == ERR_OK) {
        t.state = LEDGER_ANSWERED;
        t.answered_ms = now->wall_ms;
        str_copy(t.answer, sizeof t.answer, note);
        t.from_hub = false;
        e = store_ticket_put(s, &t);
    }
    if (e == ERR_OK)
        e = store_wish_claim_done(s, ticket, now->wall_ms);
    if (e == ERR_OK) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "ticket", ticket);
        cJSON_AddStringToObject(d, "note", note);
        e = append(s, EVENT_WISH_DONE, member_no, d, now);
    }
    return finish(s, e, "wish done");
}

enum wish_claim_state wish_claim_state(const struct wish_claim *c)
{
    if (!c->t.from_hub || !c->t.claimer[0])
        return WISH_CLAIM_SENT;
    return strcmp(c->t.claimer, c->member_no) == 0 ? WISH_CLAIM_WON
                                                   : WISH_CLAIM_LOST;
}
