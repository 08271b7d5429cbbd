# cmd/: every program's main(), above all layers. Each program names the
# side it belongs to; see docs/architecture.md.
KIOSK_PROGS_ALL := kiosk kioskctl kiosk-launch kiosk-bundle kiosk-board
HUB_PROGS_ALL   := hubd hubctl
# Command files without a main(), which tests may call directly.
CMD_PARTS := $(call objs,cmd/hubctl_card.c cmd/hubctl_ledger.c \
             cmd/hubctl_users.c cmd/hubctl_claims.c cmd/hubctl_points.c \
             cmd/hubctl_reg.c)
PROGRAMS += $(addprefix $(BUILD)/,$(KIOSK_PROGS_ALL) $(HUB_PROGS_ALL))

$(BUILD)/kiosk:        $(OBJ)/cmd/kiosk.o $(KIOSK_ARCHIVES)
	$(LINK_KIOSK)
# kioskctl is one program in several files with one command table.
KIOSKCTL_OBJS := $(call objs,cmd/kioskctl.c cmd/kioskctl_hub.c \
                 cmd/kioskctl_unit.c cmd/kioskctl_conf.c)
$(BUILD)/kioskctl:     $(KIOSKCTL_OBJS) $(KIOSK_ARCHIVES)
	$(LINK_KIOSK)
$(BUILD)/kiosk-launch: $(OBJ)/cmd/kiosk_launch.o $(KIOSK_ARCHIVES)
	$(LINK_KIOSK)
$(BUILD)/kiosk-bundle: $(OBJ)/cmd/kiosk_bundle.o $(KIOSK_ARCHIVES)
	$(LINK_KIOSK)
$(BUILD)/kiosk-board:  $(OBJ)/cmd/kiosk_board.o $(KIOSK_ARCHIVES)
	$(LINK_KIOSK)

$(BUILD)/hubd:    $(OBJ)/cmd/hubd.o $(HUBD_ARCHIVES)
	$(LINK_HUBD)
$(BUILD)/hubctl:  $(OBJ)/cmd/hubctl.o $(OBJ)/cmd/hubctl_card.o \
                  $(OBJ)/cmd/hubctl_ledger.o $(OBJ)/cmd/hubctl_users.o \
                  $(OBJ)/cmd/hubctl_claims.o $(OBJ)/cmd/hubctl_points.o \
                  $(OBJ)/cmd/hubctl_reg.o $(HUB_ARCHIVES)
	$(LINK_HUB)
