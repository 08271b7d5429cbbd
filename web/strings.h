/* web/strings.h - the console's words, zh_CN first and en (web/strings.c).
 * Add new entries at the END of the enum and of the table. zh_CN text
 * follows /work/shared/GLOSSARY.md: its terms, full-width punctuation,
 * no English words. */
#ifndef WEB_STRINGS_H
#define WEB_STRINGS_H

enum web_lang { WEB_ZH = 0, WEB_EN = 1 };

enum web_str {
    S_APP, S_LOGIN, S_LOGOUT, S_USERNAME, S_PASSWORD, S_LOGIN_BAD,
    S_LOGIN_THROTTLED, S_DASHBOARD, S_USERS, S_AUDIT, S_MEMBER, S_STATION,
    S_TODAY, S_WEEK, S_PENDING, S_OPEN_TICKETS, S_OFFLINE, S_NAME,
    S_MEMBER_NO, S_COMMUNITY, S_ROLE, S_SCOPE, S_STATE, S_ACTIVE,
    S_DISABLED, S_LOCKED, S_ADD_USER, S_DISABLE, S_ENABLE, S_NOT_FOUND,
    S_NOT_FOUND_TEXT, S_REFUSED, S_CSRF_BAD, S_NO_PERMISSION, S_TIME,
    S_ACTOR, S_ACTION, S_OBJECT, S_BEFORE, S_AFTER, S_FILTER, S_EXPORT,
    S_FROM, S_TO, S_ROLE_ADMIN, S_ROLE_DISTRICT, S_ROLE_STREET,
    S_ROLE_COMMUNITY, S_ROLE_STATION, S_VIEWER, S_EDITOR, S_OTHER_LANG,
    S_NO_STATIONS, S_TOTAL, S_SAVED, S_SKIP, S_PW_HINT, S_INPUT_BAD,
    S_ACCESS, S_NO_ROWS, S_STATION_NAME, S_OVERVIEW, S_ERROR,
    S_ROLE_DEFAULT,
    S_COUNT
};

const char *web_str_get(enum web_lang lang, enum web_str id);

#endif
