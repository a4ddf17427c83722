/* Error records, status names and the library version. */
#include <docpipe/dp_common.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef DOCPIPE_VERSION
#error "DOCPIPE_VERSION must be defined by the build (core/CMakeLists.txt)"
#endif

DP_EXPORT void dp_error_clear(dp_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

/* Copies at most dst_size-1 bytes without splitting a UTF-8 sequence. */
static void copy_truncated(char *dst, size_t dst_size, const char *src)
{
    size_t n = strlen(src);
    if (n >= dst_size) {
        n = dst_size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

DP_EXPORT int dp_error_set(dp_error *err, int code, const char *file, int line, int column,
                           const char *fmt, ...)
{
    if (!err || err->code != 0)
        return code;
    err->code = code;
    err->line = line > 0 ? line : 0;
    err->column = column > 0 ? column : 0;
    copy_truncated(err->file, sizeof err->file, file ? file : "");
    err->plugin[0] = '\0';
    char msg[sizeof err->message * 2];
    msg[0] = '\0';
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
    }
    /* One line: the CLI prints it after a prefix. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    copy_truncated(err->message, sizeof err->message, msg);
    return code;
}

DP_EXPORT const char *dp_status_name(int code)
{
    switch (code) {
    case DP_OK: return "ok";
    case DP_EINTERNAL: return "internal error";
    case DP_ENOMEM: return "out of memory";
    case DP_EINVAL: return "invalid argument";
    case DP_EUSAGE: return "usage error";
    case DP_EINPUT: return "input error";
    case DP_ELIMIT: return "limit exceeded";
    case DP_ECONFIG: return "config error";
    case DP_EPLUGIN: return "plugin error";
    case DP_EOUTPUT: return "output error";
    case DP_ELOSS: return "loss reported";
    default: return "unknown error";
    }
}

DP_EXPORT const char *dp_version(void)
{
    return DOCPIPE_VERSION;
}
