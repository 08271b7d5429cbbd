/* cmd/cardctl.c - the card office as a program of its own, for a
 * hub directory without hubd (and for tests and the demo): the same
 * commands as `hubctl card`, with `page` printing the change entries a
 * kiosk applies instead of appending them to the hub's feed. */
#include "base/log.h"
#include "hub/hub_card.h"

int main(int argc, char **argv)
{
    log_set_level(LOG_LVL_WARN);
    return hub_card_cli(NULL, argc - 1, argv + 1, NULL, NULL);
}
