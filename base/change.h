/* base/change.h - what a hub change is, as both sides know it: one put or
 * delete, by key, of one row of the hub's state a kiosk keeps (roster,
 * posts, duty roster, contacts, notices, star board, service-log verdicts,
 * card keys, revocations, people's photos), with typed fields. sync/proto.c decodes a page
 * of the change feed into these; the kiosk's store applies them and never
 * sees the wire (sync/PROTOCOL.md); the demo loader builds them directly.
 *
 * The array sizes are the caps. The decoder refuses an identifier (key,
 * member number, public key) longer than its field and cuts free text to
 * its field at a UTF-8 boundary: what the kiosk's screens show anyway. */
#ifndef CHANGE_H
#define CHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/ledger.h"
#include "base/service_confirm.h"

/* Changes one page may carry. The hub sends up to 500 per page; a page
 * saved for `kioskctl apply` (`hubctl card page`) may hold more. */
#define CHANGE_PAGE_MAX    2000
#define CHANGE_KEY_MAX     128          /* bytes of a key */
#define CHANGE_HOLDERS_MAX 64           /* holders of one post */
#define CHANGE_ID          32           /* member number, + NUL */
#define CHANGE_NAME        64
#define CHANGE_LABEL       32           /* post category, shift, role */
#define CHANGE_PLACE       16           /* building, unit */
#define CHANGE_PHONE       24
#define CHANGE_TEXT        512          /* duties */
#define CHANGE_TITLE       128
#define CHANGE_BODY        2048
#define CHANGE_PUBKEY      128          /* base64url of a P-256 point */
#define CHANGE_PIN_HASH    160          /* base/pinhash.h's stored form */
/* A photo is a small square PNG (the hub makes them 128 px or less):
 * bytes of the decoded PNG at most. */
#define CHANGE_PHOTO_MAX   (24 * 1024)

enum change_type {
    CHANGE_MEMBER = 1,
    CHANGE_POST,
    CHANGE_SHIFT,
    CHANGE_CONTACT,
    CHANGE_NOTICE,
    CHANGE_STAR,
    CHANGE_LOG_STATUS,           /* the hub's verdict on a service log */
    CHANGE_REVOCATION,
    CHANGE_CREDENTIAL_KEY,
    CHANGE_MEMBER_TOTAL,         /* a member's points as the hub counts */
    CHANGE_LEDGER_TYPE,          /* a type of request or wish, presets */
    CHANGE_TICKET,               /* a request's or wish's public state */
    CHANGE_PHOTO,                /* a person's photo on the boards */
    CHANGE_SERVICE_AWAITING,     /* a log its served resident may confirm */
    CHANGE_CLAIM,                /* a member's claim of a post, or swap */
    CHANGE_AWARD,                /* a year-end award (年度表彰) */
    CHANGE_WORK_UNIT,            /* a work unit (单位), or a hub setting */
};

enum change_op { CHANGE_PUT = 1, CHANGE_DEL = 2 };

enum change_role {
    CHANGE_ROLE_HEAD = 0, CHANGE_ROLE_DEPUTY = 1, CHANGE_ROLE_MEMBER = 2
};
enum change_period {
    CHANGE_PERIOD_MONTH = 1, CHANGE_PERIOD_QUARTER, CHANGE_PERIOD_YEAR
};
enum change_verdict {
    CHANGE_LOG_PENDING = 0, CHANGE_LOG_CONFIRMED = 1, CHANGE_LOG_REJECTED = 2
};

struct change_member {                  /* key: member number */
    char name[CHANGE_NAME];
    char phone_masked[CHANGE_PHONE];
    char community[CHANGE_NAME];
    bool active;
    char pin_hash[CHANGE_PIN_HASH];     /* "" when the member has no PIN */
    char work_unit[CHANGE_ID];          /* unit code (单位); "" if none */
    char reg_kind[CHANGE_PLACE];        /* "residence", "paired" or "" */
};

struct change_holder {
    char             member_no[CHANGE_ID];
    char             name[CHANGE_NAME];
    enum change_role role;
};

struct change_post {                    /* key: post id */
    char                  category[CHANGE_LABEL];
    char                  name[CHANGE_NAME];
    char                  duties[CHANGE_TEXT];
    int                   order;
    struct change_holder *holders;      /* the whole list; owned by page */
    size_t                n_holders;
    /* The post's rules (docs/rules.md, 认岗): holders between min and
     * max members; open for claiming (认领中) with `places` free. A page
     * from a hub before the rules carries none: 0, 0, closed. */
    int                   min_members, max_members;
    bool                  open;
    int                   places;
};

struct change_shift {                   /* key: unique per shift */
    int64_t day;                        /* local day number */
    char    shift[CHANGE_LABEL];
    char    member_no[CHANGE_ID];
    char    name[CHANGE_NAME];
    char    phone_masked[CHANGE_PHONE];
};

struct change_contact {                 /* key: contact id */
    char building[CHANGE_PLACE];
    char unit[CHANGE_PLACE];
    char name[CHANGE_NAME];
    char role[CHANGE_LABEL];
    char duties[CHANGE_TEXT];
    char phone[CHANGE_PHONE];
};

struct change_notice {                  /* key: notice id */
    char    title[CHANGE_TITLE];
    char    body[CHANGE_BODY];
    int64_t published_ms;
};

/* Key: PERIOD/RANK on the overall board, BOARD/PERIOD/RANK on a star's
 * own board (打擂争星: "environment", ...; "" here for the overall). */
struct change_star {
    char               board[CHANGE_LABEL];
    enum change_period period;
    int                rank;
    char               member_no[CHANGE_ID];
    char               name[CHANGE_NAME];
    int                points;
};

struct change_log_status {              /* key: the log's seq */
    uint64_t            seq;
    char                epoch[CHANGE_ID + 1];   /* its epoch */
    bool                epoch_given;  /* false from a hub before epochs */
    enum change_verdict status;
    int                 points;
    /* How it was decided (absent from an older hub: none, "", 0). */
    enum confirm_method method;
    enum confirm_rating rating;
    char                reason[CONFIRM_REASON_BYTES];  /* a rejection's */
    int64_t             decided_ms;
};

/* A pending log that names a ticket or wish of this station: its
 * resident may confirm it here with the ticket's PIN. Never the phone.
 * Key: DEVICE/EPOCH/SEQ of the log (the kiosk it was logged on). */
struct change_service_awaiting {
    char     ticket[SERVED_TICKET_BYTES];
    char     device[CHANGE_ID];
    char     epoch[CHANGE_ID + 1];
    uint64_t seq;
    char     member_no[CHANGE_ID];
    char     name[CHANGE_NAME];         /* the member's, as the boards show */
    char     category[CHANGE_LABEL];    /* service_category key */
    int      minutes;
    int64_t  day;                       /* local day number it was done */
};

/* What the hub counts for a member (all stations' confirmed logs): the
 * points of the month, quarter and year holding `as_of`, and the ranks
 * on the star board (0: not on it). The kiosk shows them only while its
 * own day is in the same periods. */
struct change_member_total {            /* key: member number */
    int64_t as_of;                      /* local day number counted on */
    int     points[3];                  /* month, quarter, year */
    int     rank[3];
};

struct change_revocation {              /* key: card id */
    int64_t revoked_ms;
};

struct change_credential_key {          /* key: key id */
    char    public_key[CHANGE_PUBKEY];
    int64_t not_after_ms;
};

#define CHANGE_PRESETS 8              /* preset descriptions of a type */
#define CHANGE_PRESET  128

struct change_ledger_type {             /* key: type code ("repair") */
    char name[CHANGE_NAME];             /* 设施维修 */
    char name_en[CHANGE_NAME];
    bool for_request, for_wish;         /* "kinds": ["request","wish"] */
    int  order;
    char presets[CHANGE_PRESETS][CHANGE_PRESET];
    int  n_presets;
};

/* Never the phone, never a name: what the station's kiosks may show
 * (state and dates to anyone; the answer behind the PIN). */
struct change_ticket {                  /* key: ticket number */
    enum ledger_kind  kind;
    char              type[CHANGE_LABEL];
    char              building[CHANGE_PLACE];
    char              unit[CHANGE_PLACE];
    char              text[LEDGER_TEXT_BYTES];
    enum ledger_state state;
    int64_t           filed_ms, accepted_ms, assigned_ms, deadline_ms;
    int64_t           answered_ms, closed_ms, locked_until_ms;
    char              answer[CHANGE_TEXT];
    char              pin_hash[LEDGER_PIN_HASH];
    char              claimer[CHANGE_ID];   /* a wish's member, or "" */
    int               points;               /* the claimer's, at closing */
};

/* Key: "member/" and a member number, or "contact/" and a contact id:
 * whose face the boards show. */
struct change_photo {
    uint8_t *png;                       /* the PNG; owned by the page */
    size_t   len;                       /* 8 .. CHANGE_PHOTO_MAX */
};

enum change_claim_kind { CHANGE_CLAIM_POST = 0, CHANGE_CLAIM_SWAP = 1 };
enum change_claim_state {
    CHANGE_CLAIM_PENDING = 0, CHANGE_CLAIM_APPROVED = 1,
    CHANGE_CLAIM_DECLINED = 2
};

/* A member's claim of a place on a post (kind post: post_id, role) or
 * request to swap with other_no, who holds other_post (kind swap), and
 * what staff decided; the reason of a decline is the member's to read. */
struct change_claim {                   /* key: the hub's claim id */
    enum change_claim_kind  kind;
    char                    member_no[CHANGE_ID];
    char                    post_id[CHANGE_ID];
    enum change_role        role;
    char                    other_no[CHANGE_ID];
    char                    other_post[CHANGE_ID];
    enum change_claim_state state;
    char                    reason[CHANGE_TITLE];
    int64_t                 filed_ms, decided_ms;
};

/* Key: YEAR/KIND/SUBJECT. An excellent post (优秀监督岗: subject a post
 * id, points per holder) or excellent member (优秀党员: subject a member
 * number) of a year. */
enum change_award_kind { CHANGE_AWARD_POST = 1, CHANGE_AWARD_MEMBER = 2 };
struct change_award {
    int                    year;
    enum change_award_kind kind;
    int                    rank;
    char                   subject[CHANGE_ID];
    char                   name[CHANGE_NAME];
    int                    points;
};

/* Key: a unit code, the member's work unit (双报到), or "setting/" and a
 * hub setting's name ("setting/cross_station_registration"), which only
 * says on or off. */
#define CHANGE_SETTING_PREFIX "setting/"
struct change_work_unit {
    char name[CHANGE_NAME];             /* 区教育局 */
    char paired_community[CHANGE_NAME]; /* 结对共建社区, or "" */
    bool on;                            /* a setting's value */
};

struct change {
    enum change_type type;
    enum change_op   op;
    char             key[CHANGE_KEY_MAX + 1];
    union {                             /* for a put, by type */
        struct change_member         member;
        struct change_post           post;
        struct change_shift          shift;
        struct change_contact        contact;
        struct change_notice         notice;
        struct change_star           star;
        struct change_log_status     log_status;
        struct change_revocation     revocation;
        struct change_credential_key credential_key;
        struct change_member_total   member_total;
        struct change_ledger_type    ledger_type;
        struct change_ticket         ticket;
        struct change_photo          photo;
        struct change_service_awaiting service_awaiting;
        struct change_claim          claim;
        struct change_award          award;
        struct change_work_unit      work_unit;
    } u;
};

/* One page of the feed, applied whole or not at all. A zeroed page is an
 * empty one; change_page_free() gives back what the helpers allocated. */
struct change_page {
    struct change *changes;
    size_t         n, cap;
    int64_t        hub_time_ms;         /* the hub's clock; 0: not given */
    /* A page of a snapshot (sync/PROTOCOL.md): the hub's whole state for
     * this kiosk in parts, which replace what the kiosk holds together. */
    bool           snapshot;
    bool           snapshot_first;      /* drop what was gathered before */
    bool           snapshot_last;       /* complete: its cursor follows it */
};

/* A zeroed change of this type, op and key at the end of the page.
 * ERR_INVAL: the key is empty or over CHANGE_KEY_MAX bytes, or the page
 * holds CHANGE_PAGE_MAX already. */
err_code change_page_add(struct change_page *p, enum change_type type,
                         enum change_op op, const char *key,
                         struct change **out);
/* A zeroed holder at the end of post put c's list; ERR_INVAL past
 * CHANGE_HOLDERS_MAX or when c is not a post put. */
err_code change_holder_add(struct change *c, struct change_holder **out);
void     change_page_free(struct change_page *p);

/* The wire names: "member", ... and "month", ...; parse gives 0 for a
 * name it does not know. */
const char        *change_type_name(enum change_type t);
enum change_type   change_type_parse(const char *name);
const char        *change_period_name(enum change_period p);
enum change_period change_period_parse(const char *name);

#endif
