/* Small string, path and file helpers used by the registry, config parser
 * and runner. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "host/host.h"

char *dpu_strdup(const char *s)
{
    return s ? dpu_strndup(s, strlen(s)) : NULL;
}

char *dpu_strndup(const char *s, size_t n)
{
    char *p;
    if (!s)
        return NULL;
    p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *dpu_vprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *p;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    p = malloc((size_t)n + 1);
    if (!p)
        return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *dpu_printf(const char *fmt, ...)
{
    va_list ap;
    char *p;
    va_start(ap, fmt);
    p = dpu_vprintf(fmt, ap);
    va_end(ap);
    return p;
}

int dpu_streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

int dpu_strcaseeq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcasecmp(a, b) == 0;
}

size_t dpu_edit_distance(const char *a, const char *b, size_t cap)
{
    /* Optimal string alignment distance (Levenshtein plus adjacent
     * transpositions, so "jbos" is one edit from "jobs"); keys are short, so
     * three fixed rows suffice. */
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t pp[65], prev[65], cur[65];
    if (la > 64 || lb > 64)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    for (j = 0; j <= lb; j++)
        prev[j] = j;
    memcpy(pp, prev, sizeof pp);
    for (i = 1; i <= la; i++) {
        size_t rowmin;
        cur[0] = i;
        rowmin = cur[0];
        for (j = 1; j <= lb; j++) {
            size_t cost = (a[i - 1] == b[j - 1]) ? 0 : 1;
            size_t v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > cap)
            return cap + 1;
        memcpy(pp, prev, (lb + 1) * sizeof prev[0]);
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

const char *dpu_suggest(const char *word, const char *const *candidates, size_t n)
{
    size_t best = (size_t)-1, i, cap;
    const char *found = NULL;
    if (!word)
        return NULL;
    /* Up to a third of the word may differ (at least 1, at most 3 edits). */
    cap = strlen(word) / 3;
    if (cap < 1)
        cap = 1;
    if (cap > 3)
        cap = 3;
    for (i = 0; i < n; i++) {
        size_t d;
        if (!candidates[i])
            continue;
        d = dpu_edit_distance(word, candidates[i], cap);
        if (d <= cap && d < best) {
            best = d;
            found = candidates[i];
        }
    }
    return found;
}

char *dpu_path_join(const char *base, const char *path)
{
    char *joined, *clean;
    if (!path)
        return NULL;
    if (strcmp(path, "-") == 0)
        return dpu_strdup(path);
    if (path[0] == '/' || !base || !base[0])
        return dpu_path_normalize(path);
    joined = dpu_printf("%s/%s", base, path);
    if (!joined)
        return NULL;
    clean = dpu_path_normalize(joined);
    free(joined);
    return clean;
}

char *dpu_path_normalize(const char *path)
{
    /* Lexical clean-up ("a/./b//c/../d" -> "a/b/d"), so that messages and
     * reports show the paths people expect; leading ".." of a relative path
     * are kept. */
    size_t len = strlen(path), n = 0, i;
    int abs = path[0] == '/';
    char *copy = dpu_strdup(path), *out, *save = NULL, *tok;
    char **parts;
    if (!copy)
        return NULL;
    parts = calloc(len / 2 + 2, sizeof *parts);
    out = malloc(len + 3);
    if (!parts || !out) {
        free(copy);
        free(parts);
        free(out);
        return NULL;
    }
    for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            if (n > 0 && strcmp(parts[n - 1], "..") != 0) {
                n--;
                continue;
            }
            if (abs)
                continue; /* "/.." is "/" */
        }
        parts[n++] = tok;
    }
    out[0] = '\0';
    if (abs)
        strcat(out, "/");
    for (i = 0; i < n; i++) {
        if (i)
            strcat(out, "/");
        strcat(out, parts[i]);
    }
    if (!out[0])
        strcpy(out, ".");
    free(parts);
    free(copy);
    return out;
}

char *dpu_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return dpu_strdup(".");
    if (slash == path)
        return dpu_strdup("/");
    return dpu_strndup(path, (size_t)(slash - path));
}

const char *dpu_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int dpu_has_ext(const char *name, const char *ext)
{
    size_t ln = strlen(name), le = strlen(ext);
    if (le == 0 || ln < le + 2)
        return 0;
    return name[ln - le - 1] == '.' && strcasecmp(name + ln - le, ext) == 0;
}

uint64_t dpu_hash64(const char *s)
{
    /* FNV-1a: stable across runs and machines (used in cache file names). */
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

int dpu_parse_bool(const char *s)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    size_t i;
    if (!s)
        return -1;
    for (i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

int dpu_parse_long(const char *s, long *out)
{
    char *end;
    long v;
    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || end == s)
        return -1;
    *out = v;
    return 0;
}

static int strv_grow(dpu_strv *sv)
{
    return DP_ARRAY_RESERVE(sv->v, sv->cap, sv->n + 2) ? DP_ENOMEM : 0; /* and the NULL after the last */
}

int dpu_strv_push_owned(dpu_strv *sv, char *s)
{
    if (!s || strv_grow(sv) != 0) {
        free(s);
        return DP_ENOMEM;
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
    return 0;
}

int dpu_strv_push(dpu_strv *sv, const char *s)
{
    return dpu_strv_push_owned(sv, dpu_strdup(s));
}

int dpu_strv_contains(const dpu_strv *sv, const char *s)
{
    size_t i;
    for (i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return 1;
    return 0;
}

void dpu_strv_clear(dpu_strv *sv)
{
    size_t i;
    for (i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

int dpu_read_file(const char *path, size_t max, unsigned char **data, size_t *len, dp_error *err)
{
    int fd = -1, rc = 0, is_stdin = strcmp(path, "-") == 0;
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    struct stat st;

    *data = NULL;
    *len = 0;
    if (is_stdin) {
        fd = STDIN_FILENO;
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
            return dp_error_set(err, DP_EINPUT, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        rc = dp_error_set(err, DP_EINPUT, path, 0, 0, "cannot stat: %s", strerror(errno));
        goto cleanup;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = dp_error_set(err, DP_EINPUT, path, 0, 0, "is a directory, not a file");
        goto cleanup;
    }
    if (!is_stdin && !S_ISREG(st.st_mode)) {
        rc = dp_error_set(err, DP_EINPUT, path, 0, 0, "not a regular file");
        goto cleanup;
    }
    if (!is_stdin) {
        /* Back to blocking reads now that we know it is a regular file
         * (O_NONBLOCK only kept open() from hanging on a FIFO). */
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        if ((uintmax_t)st.st_size > (uintmax_t)max) {
            rc = dp_error_set(err, DP_ELIMIT, path, 0, 0,
                              "input is %jd bytes, over the limit max-input-bytes=%zu",
                              (intmax_t)st.st_size, max);
            goto cleanup;
        }
        /* the size, one byte more for the read that sees end of file (or a
         * file still growing) and one for the NUL: no doubling at the end */
        cap = (size_t)st.st_size + 2;
    }
    if (cap < 4096)
        cap = 4096;
    buf = malloc(cap);
    if (!buf) {
        rc = dp_error_set(err, DP_ENOMEM, path, 0, 0, "out of memory reading input");
        goto cleanup;
    }
    for (;;) {
        ssize_t r;
        if (n + 1 >= cap) {
            unsigned char *nb;
            /* never hold more than the limit (+1 byte to notice going over, +1 NUL) */
            size_t ncap = cap * 2;
            if (cap >= max + 2) {
                rc = dp_error_set(err, DP_ELIMIT, path, 0, 0,
                                  "input exceeds the limit max-input-bytes=%zu", max);
                goto cleanup;
            }
            if (ncap > max + 2)
                ncap = max + 2;
            nb = realloc(buf, ncap);
            if (!nb) {
                rc = dp_error_set(err, DP_ENOMEM, path, 0, 0, "out of memory reading input");
                goto cleanup;
            }
            buf = nb;
            cap = ncap;
        }
        r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = dp_error_set(err, DP_EINPUT, path, 0, 0, "read error: %s", strerror(errno));
            goto cleanup;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            rc = dp_error_set(err, DP_ELIMIT, path, 0, 0,
                              "input exceeds the limit max-input-bytes=%zu", max);
            goto cleanup;
        }
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    buf = NULL;
cleanup:
    free(buf);
    if (fd >= 0 && !is_stdin)
        close(fd);
    return rc;
}

DP_EXPORT int dp_url_has_scheme(const char *url)
{
    if (!url || !isalpha((unsigned char)url[0]))
        return 0;
    const char *p = url + 1;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

static int digits_at(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int dp_iso_date(const char *s)
{
    if (!s || !digits_at(s, 4))
        return 0;
    const char *p = s + 4;
    for (int part = 0; part < 2 && *p == '-'; part++) { /* -MM, then -DD */
        if (!digits_at(p + 1, 2))
            return 0;
        p += 3;
    }
    if (*p == '\0')
        return DP_DATE_OK;
    if (*p != 'T' || p - s != 10 || !digits_at(p + 1, 2) || p[3] != ':' || !digits_at(p + 4, 2))
        return 0;
    int flags = DP_DATE_OK | DP_DATE_TIME;
    p += 6;
    if (*p == ':') {
        if (!digits_at(p + 1, 2))
            return 0;
        flags |= DP_DATE_SECONDS;
        p += 3;
        if (*p == '.') {
            if (!isdigit((unsigned char)p[1]))
                return 0;
            for (p++; isdigit((unsigned char)*p); p++)
                ;
        }
    }
    if (*p == 'Z') {
        p++;
        flags |= DP_DATE_ZONE;
    } else if (*p == '+' || *p == '-') {
        if (!digits_at(p + 1, 2) || p[3] != ':' || !digits_at(p + 4, 2))
            return 0;
        p += 6;
        flags |= DP_DATE_ZONE;
    }
    return *p == '\0' ? flags : 0;
}
