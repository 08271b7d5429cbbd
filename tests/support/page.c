/* tests/support/page.c - see page.h. */
#include "tests/support/page.h"

#include <stdbool.h>

#include "base/change.h"
#include "sync/proto.h"

err_code page_apply(struct store *s, const char *json, size_t len,
                    const char *cursor)
{
    struct change_page page;
    char next[PROTO_CURSOR_MAX];
    bool more;
    err_code e = proto_page_decode(json, len, &page, next, sizeof next,
                                   &more);

    if (e == ERR_OK)
        e = store_hub_apply(s, &page, cursor);
    change_page_free(&page);
    return e;
}
