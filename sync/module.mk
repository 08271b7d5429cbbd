# sync/: TLS, HTTP, protocol and the kiosk's sync worker; sync/hub/: hub.
SYNC_SRCS += $(wildcard sync/*.c)
HUB_SRCS  += $(filter-out sync/hub/hubd.c sync/hub/hubctl.c,$(wildcard sync/hub/*.c))
