/* hub/hub_card_db.c - where hubctl's card commands put what kiosks
 * must learn: each credential key and revocation becomes a change in the
 * hub's feed for every station (a card may be scoped to several). Part of
 * hub_card; the only file of it that knows hub_db. */
#include "hub/hub_card.h"

#include "hub/hub_db.h"

err_code hub_card_db_publish(void *db, const char *type, const char *key,
                             const char *data)
{
    return hub_db_change_add(db, NULL, NULL, type, key, data);
}
