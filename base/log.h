/* base/log.h - one-line log messages to stderr (journald picks them up
 * under systemd) with a level prefix journald understands. */
#ifndef LOG_H
#define LOG_H

enum log_level { LOG_LVL_ERROR = 3, LOG_LVL_WARN = 4, LOG_LVL_INFO = 6,
                 LOG_LVL_DEBUG = 7 };

/* Messages above this level are dropped; default INFO, tests set WARN. */
void log_set_level(enum log_level max);
void log_msg(enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
