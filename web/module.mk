# web/: the web console served by hubd (docs/console.md): above hub/,
# linked by hubd only. The style sheet is embedded at build time as a C
# string (nothing is read from disk or fetched at run time).
WEB_SRCS += $(wildcard web/*.c)
WEB_CSS_C := $(BUILD)/gen/web_css.c
WEB_CSS_O := $(OBJ)/gen/web_css.o

$(WEB_CSS_C): web/console.css
	@mkdir -p $(@D)
	@{ echo '/* generated from web/console.css: do not edit */'; \
	   echo 'const char web_console_css[] ='; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	   echo ';'; } >$@
$(WEB_CSS_O): $(WEB_CSS_C)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@
