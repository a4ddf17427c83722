/* Safety limits: defaults (documented in docs/CONFIG.md) and setting them
 * by name from a config or the command line. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"

void dp_limits_init(dp_limits *l)
{
    if (!l)
        return;
    l->max_input_bytes = (size_t)256 << 20;       /* 256 MiB */
    l->max_depth = 1000;
    l->max_entity_expansion = (size_t)10 << 20;   /* 10 MiB */
    l->max_archive_bytes = (size_t)1 << 30;       /* 1 GiB */
    l->max_archive_entries = 10000;
    l->max_archive_ratio = 100;
}

static int parse_size(const char *s, int allow_suffix, unsigned long long *out)
{
    char *end;
    unsigned long long v, mul = 1;
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    if (*end && allow_suffix) {
        switch (*end) {
        case 'k': case 'K': mul = 1ull << 10; break;
        case 'm': case 'M': mul = 1ull << 20; break;
        case 'g': case 'G': mul = 1ull << 30; break;
        default: return -1;
        }
        end++;
        if (*end == 'i' && end[1] == 'B')
            end += 2;
        else if (*end == 'B')
            end++;
    }
    if (*end)
        return -1;
    if (v > UINT64_MAX / mul)
        return -1;
    *out = v * mul;
    return 0;
}

int dp_limits_set(dp_limits *l, const char *key, const char *value, dp_error *err)
{
    static const char *const names[] = {"max-input-bytes", "max-depth", "max-entity-expansion",
                                        "max-archive-bytes", "max-archive-entries",
                                        "max-archive-ratio"};
    unsigned long long v;
    size_t i;
    int bytes;
    if (!l || !key || !value)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_limits_set: NULL argument");
    for (i = 0; i < 6; i++)
        if (strcmp(key, names[i]) == 0)
            break;
    if (i == 6) {
        const char *s = dpu_suggest(key, names, 6);
        return dp_error_set(err, DP_ECONFIG, NULL, 0, 0, "unknown limit '%s'%s%s%s", key,
                            s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
    }
    bytes = i == 0 || i == 2 || i == 3;
    if (parse_size(value, bytes, &v) != 0 || v == 0)
        return dp_error_set(err, DP_ECONFIG, NULL, 0, 0, "limit %s expects a positive number%s, got '%s'",
                            key, bytes ? " (K/M/G suffixes allowed)" : "", value);
    switch (i) {
    case 0: l->max_input_bytes = (size_t)v; break;
    case 1:
        if (v > 1000000)
            return dp_error_set(err, DP_ECONFIG, NULL, 0, 0, "limit max-depth is at most 1000000");
        l->max_depth = (int)v;
        break;
    case 2: l->max_entity_expansion = (size_t)v; break;
    case 3: l->max_archive_bytes = (size_t)v; break;
    case 4: l->max_archive_entries = (size_t)v; break;
    default:
        if (v > 1000000)
            return dp_error_set(err, DP_ECONFIG, NULL, 0, 0, "limit max-archive-ratio is at most 1000000");
        l->max_archive_ratio = (unsigned)v;
        break;
    }
    return 0;
}

int dp_exit_code(int status)
{
    switch (status) {
    case DP_OK: return DP_EXIT_OK;
    case DP_EUSAGE: return DP_EXIT_USAGE;
    case DP_EINPUT:
    case DP_ELIMIT: return DP_EXIT_INPUT;
    case DP_ECONFIG: return DP_EXIT_CONFIG;
    case DP_EPLUGIN: return DP_EXIT_PLUGIN;
    case DP_EOUTPUT: return DP_EXIT_OUTPUT;
    case DP_ELOSS: return DP_EXIT_LOSS;
    default: return DP_EXIT_INTERNAL;
    }
}
