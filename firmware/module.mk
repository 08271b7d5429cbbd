# firmware/: the kiosk's core library (config, store, domain) and programs.
CORE_SRCS += $(filter-out firmware/main.c firmware/kioskctl.c,$(wildcard firmware/*.c))
PROGRAMS  += $(BUILD)/kiosk

$(BUILD)/kiosk: $(OBJ)/firmware/main.o $(ARCHIVES)
	$(LINK)

PROGRAMS += $(BUILD)/kioskctl
$(BUILD)/kioskctl: $(OBJ)/firmware/kioskctl.o $(ARCHIVES)
	$(LINK)
