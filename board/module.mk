# board/: the hardware layer (simulated and Linux boards).
BOARD_SRCS += $(wildcard board/*.c)
include board/targets.mk
