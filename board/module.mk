# board/: the hardware layer (simulated and Linux boards), the update
# programs kiosk-bundle (release tool) and kiosk-launch (the service that
# starts the kiosk and rolls back a bad update), and kiosk-board (the
# technician's hardware check).
BOARD_MAINS := board/kiosk_bundle.c board/kiosk_launch.c board/kiosk_board.c
BOARD_SRCS  += $(filter-out $(BOARD_MAINS),$(wildcard board/*.c))
PROGRAMS    += $(BUILD)/kiosk-bundle $(BUILD)/kiosk-launch $(BUILD)/kiosk-board

$(BUILD)/kiosk-bundle: $(OBJ)/board/kiosk_bundle.o $(ARCHIVES)
	$(LINK)

$(BUILD)/kiosk-launch: $(OBJ)/board/kiosk_launch.o $(ARCHIVES)
	$(LINK)

$(BUILD)/kiosk-board: $(OBJ)/board/kiosk_board.o $(ARCHIVES)
	$(LINK)
include board/targets.mk
