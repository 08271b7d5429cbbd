# firmware/: the kiosk's core: config, the local store, the domain
# (visits, service logs, credentials, summaries), updates, diagnostics.
CORE_SRCS += $(wildcard firmware/*.c)
