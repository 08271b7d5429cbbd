/* base/event.c - the names events travel under. */
#include "base/event.h"

#include <string.h>

static const char *const names[] = {
    [EVENT_CHECK_IN] = "check_in",
    [EVENT_CHECK_OUT] = "check_out",
    [EVENT_SERVICE_LOG] = "service_log",
    [EVENT_REGISTRATION] = "registration",
    [EVENT_ROLLBACK] = "rollback",
    [EVENT_LOST] = "lost",
    [EVENT_CALL_STAFF] = "call_staff",
    [EVENT_LEDGER_FILE] = "ledger_file",
    [EVENT_LEDGER_SIGNOFF] = "ledger_signoff",
    [EVENT_LEDGER_PIN_FAIL] = "ledger_pin_fail",
    [EVENT_WISH_CLAIM] = "wish_claim",
    [EVENT_WISH_DONE] = "wish_done",
    [EVENT_VISITOR] = "visitor",
    [EVENT_SERVICE_CONFIRM] = "service_confirm",
    [EVENT_POST_CLAIM] = "post_claim",
    [EVENT_POST_SWAP] = "post_swap",
};

const char *event_kind_name(enum event_kind k)
{
    if ((unsigned)k < sizeof names / sizeof names[0] && names[k])
        return names[k];
    return "unknown";
}

enum event_kind event_kind_parse(const char *name)
{
    for (size_t k = 1; k < sizeof names / sizeof names[0]; k++)
        if (names[k] && strcmp(names[k], name) == 0)
            return (enum event_kind)k;
    return 0;
}
