# ui/: SDL2 + SDL2_ttf screens, widgets and text.
UI_SRCS += $(wildcard ui/*.c)

# Rewrite tests/ref/*.png from what the UI draws now: after an intended
# change, run this, LOOK at the changed images (git status), commit them.
.PHONY: refs
refs:
	@$(MAKE) --no-print-directory all $(BUILD)/tests/test_ui_screens \
	    $(BUILD)/tests/test_ui_textentry $(BUILD)/tests/test_receipt \
	    $(BUILD)/tests/test_ui_posts
	UPDATE_REFS=1 SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
	    $(BUILD)/tests/test_ui_screens
	UPDATE_REFS=1 SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
	    $(BUILD)/tests/test_ui_posts
	UPDATE_REFS=1 SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
	    $(BUILD)/tests/test_ui_textentry
	UPDATE_REFS=1 $(BUILD)/tests/test_receipt

# Rewrite docs/showcase/*.png (README.md and docs/ui.md show them) from
# the demo station, as tests/showcase_test.sh draws and checks them.
.PHONY: showcase
showcase:
	@$(MAKE) --no-print-directory all
	SHOWCASE_OUT=docs/showcase sh tests/showcase_test.sh $(BUILD)
