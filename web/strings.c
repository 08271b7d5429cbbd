/* web/strings.c - the console's string table: { zh_CN, en } per entry,
 * in the order of enum web_str (add at the end). */
#include "web/strings.h"

static const char *const table[S_COUNT][2] = {
    [S_APP]            = { "党群服务站管理后台", "Service station console" },
    [S_LOGIN]          = { "登录", "Log in" },
    [S_LOGOUT]         = { "退出登录", "Log out" },
    [S_USERNAME]       = { "用户名", "User name" },
    [S_PASSWORD]       = { "密码", "Password" },
    [S_LOGIN_BAD]      = { "用户名或密码不正确。连续输错5次，账户将锁定15分钟。",
                           "Wrong user name or password. After 5 wrong"
                           " attempts the account is locked for 15 minutes." },
    [S_LOGIN_THROTTLED] = { "此地址登录失败次数过多，请15分钟后再试。",
                            "Too many failed logins from this address;"
                            " try again in 15 minutes." },
    [S_DASHBOARD]      = { "工作台", "Dashboard" },
    [S_USERS]          = { "账户管理", "Accounts" },
    [S_AUDIT]          = { "操作记录", "Audit log" },
    [S_MEMBER]         = { "党员信息", "Member" },
    [S_STATION]        = { "服务站", "Station" },
    [S_TODAY]          = { "今日签到", "Check-ins today" },
    [S_WEEK]           = { "本周签到", "Check-ins this week" },
    [S_PENDING]        = { "待确认服务", "Service logs to review" },
    [S_OPEN_TICKETS]   = { "未办结台账", "Open ledger items" },
    [S_OFFLINE]        = { "离线超过1小时的终端", "Kiosks offline over 1 hour" },
    [S_NAME]           = { "姓名", "Name" },
    [S_MEMBER_NO]      = { "党员编号", "Member no." },
    [S_COMMUNITY]      = { "社区", "Community" },
    [S_ROLE]           = { "角色", "Role" },
    [S_SCOPE]          = { "管辖范围", "Scope" },
    [S_STATE]          = { "状态", "State" },
    [S_ACTIVE]         = { "正常", "Active" },
    [S_DISABLED]       = { "已停用", "Disabled" },
    [S_LOCKED]         = { "已锁定", "Locked" },
    [S_ADD_USER]       = { "新建账户", "Add an account" },
    [S_DISABLE]        = { "停用", "Disable" },
    [S_ENABLE]         = { "启用", "Enable" },
    [S_NOT_FOUND]      = { "未找到", "Not found" },
    [S_NOT_FOUND_TEXT] = { "未找到该页面，或不在您的管辖范围内。",
                           "This page does not exist, or it is not in your"
                           " scope." },
    [S_REFUSED]        = { "操作被拒绝", "Refused" },
    [S_CSRF_BAD]       = { "表单已过期或来源不明，未做任何修改。请返回，刷新页面后重新提交。",
                           "The form has expired or did not come from this"
                           " console; nothing was changed. Go back, reload"
                           " the page and submit again." },
    [S_NO_PERMISSION]  = { "您的账户无权进行此操作。",
                           "Your account may not do this." },
    [S_TIME]           = { "时间", "Time" },
    [S_ACTOR]          = { "操作人", "By" },
    [S_ACTION]         = { "操作", "Action" },
    [S_OBJECT]         = { "对象", "Object" },
    [S_BEFORE]         = { "修改前", "Before" },
    [S_AFTER]          = { "修改后", "After" },
    [S_FILTER]         = { "筛选", "Filter" },
    [S_EXPORT]         = { "导出表格文件", "Export CSV" },
    [S_FROM]           = { "开始日期", "From" },
    [S_TO]             = { "结束日期", "To" },
    [S_ROLE_ADMIN]     = { "系统管理员", "Administrator" },
    [S_ROLE_DISTRICT]  = { "区级", "District" },
    [S_ROLE_STREET]    = { "街道", "Street" },
    [S_ROLE_COMMUNITY] = { "社区", "Community" },
    [S_ROLE_STATION]   = { "服务站", "Station" },
    [S_VIEWER]         = { "只读", "read-only" },
    [S_EDITOR]         = { "可修改", "may change" },
    [S_OTHER_LANG]     = { "英文", "中文" },
    [S_NO_STATIONS]    = { "您的管辖范围内暂无服务站。",
                           "No stations in your scope yet." },
    [S_TOTAL]          = { "合计", "Total" },
    [S_SAVED]          = { "已保存。", "Saved." },
    [S_SKIP]           = { "跳到正文", "Skip to content" },
    [S_PW_HINT]        = { "至少8个字符", "At least 8 characters" },
    [S_INPUT_BAD]      = { "输入有误：请检查用户名（字母、数字、点、横线）、角色与管辖范围，密码至少8个字符。",
                           "Check the input" },
    [S_ACCESS]         = { "权限", "Access" },
    [S_NO_ROWS]        = { "暂无记录。", "Nothing yet." },
    [S_STATION_NAME]   = { "服务站名称", "Station name" },
    [S_OVERVIEW]       = { "概况", "Overview" },
    [S_ERROR]          = { "出错了，请稍后再试。", "Something went wrong; try"
                           " again later." },
    [S_ROLE_DEFAULT]   = { "按角色默认", "the role's default" },
};

const char *web_str_get(enum web_lang lang, enum web_str id)
{
    if ((unsigned)id >= S_COUNT)
        return "";
    const char *s = table[id][lang == WEB_EN ? 1 : 0];
    return s ? s : table[id][0] ? table[id][0] : "";
}
