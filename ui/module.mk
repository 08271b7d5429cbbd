# ui/: SDL2 + SDL2_ttf screens, widgets and text.
UI_SRCS += $(wildcard ui/*.c)
