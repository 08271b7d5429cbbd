# sync/: TLS, HTTP, protocol and the kiosk's sync worker; sync/hub/: hub.
# Program mains are filtered out of the libraries.
SYNC_MAINS := sync/kiosk_sync.c
SYNC_SRCS += $(filter-out $(SYNC_MAINS),$(wildcard sync/*.c))
HUB_SRCS  += $(filter-out sync/hub/hubd.c sync/hub/hubctl.c,$(wildcard sync/hub/*.c))
PROGRAMS  += $(BUILD)/hubd $(BUILD)/hubctl $(BUILD)/kiosk-sync

$(BUILD)/hubd: $(OBJ)/sync/hub/hubd.o $(ARCHIVES)
	$(LINK)
$(BUILD)/hubctl: $(OBJ)/sync/hub/hubctl.o $(ARCHIVES)
	$(LINK)
$(BUILD)/kiosk-sync: $(OBJ)/sync/kiosk_sync.o $(ARCHIVES)
	$(LINK)
