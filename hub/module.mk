# hub/: the central server's layer: its store, the kiosk API, the card
# office, bundles and the admin functions hubctl drives.
HUB_SRCS += $(wildcard hub/*.c)
