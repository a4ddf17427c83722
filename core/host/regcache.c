/* The registry cache: per plugin directory, a text file recording what each
 * plugin file provides (or why it was refused), keyed by path, size and
 * mtime, so a run can pick its plugins without opening every file (the
 * GStreamer registry model). The cache is an optimisation only: anything
 * unexpected (unreadable, malformed, another docpipe version, not owned by
 * us, writable by others) means "no cache", and a cache that cannot be
 * written is silently skipped.
 *
 * Format (one record per line, fields separated by TAB; \\ \t \n escaped,
 * a lone \0 is NULL):
 *   docpipe-plugin-cache 1 <docpipe version> <abi major>.<abi minor>
 *   F path size mtime_sec mtime_nsec module version      accepted file
 *   X path size mtime_sec mtime_nsec reason              refused file
 *   P kind id name version format binary flags description   plugin of the last F
 *   A alias | E extension | M mime                       of the last P
 *   O key type default choices help                      option of the last P */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/registry_priv.h"

#define CACHE_MAGIC "docpipe-plugin-cache"
#define CACHE_FORMAT "2" /* 2: plugin flags (ABI 1.3) */
#define MAX_FIELDS 9

static char *cache_path(const char *cache_dir, const char *plugin_dir)
{
    return dpu_printf("%s/plugins-%016" PRIx64 ".cache", cache_dir, dpu_hash64(plugin_dir));
}

/* ---- escaping ---- */

static void put_field(FILE *fp, const char *s, int last)
{
    if (!s) {
        fputs("\\0", fp);
    } else {
        for (; *s; s++) {
            if (*s == '\\')
                fputs("\\\\", fp);
            else if (*s == '\t')
                fputs("\\t", fp);
            else if (*s == '\n')
                fputs("\\n", fp);
            else
                fputc(*s, fp);
        }
    }
    fputc(last ? '\n' : '\t', fp);
}

/* Splits line in place into fields, unescaping; NULL fields for "\0".
 * Plain runs are found with strcspn (most lines have no escape at all), so
 * loading the cache costs little next to the dlopen it saves. */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *r = line, *w = line;
    fields[n++] = w;
    for (;;) {
        size_t k = strcspn(r, "\t\\");
        if (w != r)
            memmove(w, r, k);
        w += k;
        r += k;
        if (!*r)
            break;
        if (*r == '\t') {
            *w++ = '\0';
            if (n == max)
                return -1;
            fields[n++] = w;
        } else {
            r++;
            if (*r == '\\')
                *w++ = '\\';
            else if (*r == 't')
                *w++ = '\t';
            else if (*r == 'n')
                *w++ = '\n';
            else if (*r == '0' && (r[1] == '\t' || r[1] == '\0') && w == fields[n - 1])
                fields[n - 1] = NULL;
            else
                return -1;
        }
        r++;
    }
    *w = '\0';
    return n;
}

static int parse_i64(const char *s, int64_t *out)
{
    char *end;
    long long v;
    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = (int64_t)v;
    return 0;
}

void reg_cache_clear(reg_cache *cache)
{
    size_t i;
    for (i = 0; i < cache->nentries; i++)
        reg_entry_free(cache->entries[i]);
    free(cache->entries);
    for (i = 0; i < cache->nfiles; i++)
        reg_file_free(cache->files[i]);
    free(cache->files);
    memset(cache, 0, sizeof *cache);
}

static int push_file(reg_cache *c, reg_file *f)
{
    if (DP_ARRAY_RESERVE(c->files, c->files_cap, c->nfiles + 1))
        return -1;
    c->files[c->nfiles++] = f;
    return 0;
}

static int push_entry(reg_cache *c, reg_entry *e)
{
    if (DP_ARRAY_RESERVE(c->entries, c->entries_cap, c->nentries + 1))
        return -1;
    c->entries[c->nentries++] = e;
    return 0;
}

static int add_option(reg_entry *e, char **f)
{
    /* Room for the new option and the NULL-key terminator after it. */
    long type;
    if (DP_ARRAY_RESERVE(e->options, e->options_cap, e->noptions + 2))
        return -1;
    memset(&e->options[e->noptions], 0, 2 * sizeof *e->options);
    if (!f[1] || !f[2] || dpu_parse_long(f[2], &type) != 0 || type < DP_OPT_STRING || type > DP_OPT_LIST)
        return -1;
    if (reg_option_set(&e->options[e->noptions], (dp_opt_type)type, f[1], f[3], f[4], f[5]) != 0)
        return -1;
    e->noptions++;
    return 0;
}

static int parse_line(reg_cache *c, char *line, reg_file **curf, reg_entry **cure)
{
    char *f[MAX_FIELDS + 1];
    int n = split_fields(line, f, MAX_FIELDS);
    if (n < 2 || !f[0] || strlen(f[0]) != 1)
        return -1;
    switch (f[0][0]) {
    case 'F':
    case 'X': {
        reg_file *rf;
        if (n != 7 && !(f[0][0] == 'X' && n == 6))
            return -1;
        rf = calloc(1, sizeof *rf);
        if (!rf)
            return -1;
        if (push_file(c, rf) != 0) {
            free(rf);
            return -1;
        }
        if (!f[1] || parse_i64(f[2], &rf->size) || parse_i64(f[3], &rf->mtime_sec) ||
            parse_i64(f[4], &rf->mtime_nsec))
            return -1;
        rf->path = dpu_strdup(f[1]);
        if (f[0][0] == 'F') {
            rf->module = dpu_strdup(f[5]);
            rf->version = dpu_strdup(f[6]);
            if (!rf->module || !rf->version)
                return -1;
        } else {
            rf->reason = dpu_strdup(f[5]);
            rf->cacheable = 1;
            if (!rf->reason)
                return -1;
        }
        *curf = rf;
        *cure = NULL;
        return rf->path ? 0 : -1;
    }
    case 'P': {
        reg_entry *e;
        long kind, binary, flags;
        if (n != 9 || !*curf || (*curf)->reason || dpu_parse_long(f[1], &kind) ||
            dpu_parse_long(f[6], &binary) || dpu_parse_long(f[7], &flags) || flags < 0 || !f[2] || !f[3] ||
            !f[4] || !f[5])
            return -1;
        if (kind < DP_PLUGIN_IMPORTER || kind > DP_PLUGIN_TRANSFORM)
            return -1;
        e = reg_entry_new();
        if (!e)
            return -1;
        if (push_entry(c, e) != 0) {
            reg_entry_free(e);
            return -1;
        }
        e->info.kind = (dp_plugin_kind)kind;
        e->info.id = dpu_strdup(f[2]);
        e->info.name = dpu_strdup(f[3]);
        e->info.version = dpu_strdup(f[4]);
        e->info.format = dpu_strdup(f[5]);
        e->info.binary_output = (int)binary;
        e->info.flags = (unsigned)flags;
        e->info.description = dpu_strdup(f[8] ? f[8] : "");
        e->file = *curf;
        *cure = e;
        return e->info.id && e->info.name && e->info.version && e->info.format && e->info.description
                   ? 0
                   : -1;
    }
    case 'A':
    case 'E':
    case 'M': {
        dpu_strv *sv;
        if (n != 2 || !*cure || !f[1])
            return -1;
        sv = f[0][0] == 'A' ? &(*cure)->aliases : f[0][0] == 'E' ? &(*cure)->extensions
                                                                 : &(*cure)->mime_types;
        return dpu_strv_push(sv, f[1]) == 0 ? 0 : -1;
    }
    case 'O':
        if (n != 6 || !*cure)
            return -1;
        return add_option(*cure, f);
    default:
        return -1;
    }
}

/* The whole cache file in one malloc'd, NUL-terminated buffer, or NULL when
 * it is missing, unreadable, absurdly large, or could have been written by
 * someone else (only a cache no one else could have written is believed).
 * One read() instead of a getline() per record: this runs on every start. */
static char *read_cache_file(const char *path)
{
    struct stat st;
    char *text = NULL;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & (S_IWGRP | S_IWOTH)) || st.st_size > 16 * 1024 * 1024)
        goto fail;
    text = malloc((size_t)st.st_size + 1);
    if (!text)
        goto fail;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* shrank under us: parse what is there */
        got += (size_t)n;
    }
    text[got] = '\0';
    close(fd);
    return text;
fail:
    free(text);
    close(fd);
    return NULL;
}

void reg_cache_load(reg_cache *cache, const char *cache_dir, const char *plugin_dir)
{
    char *path = cache_path(cache_dir, plugin_dir);
    char *text = NULL, *end, *line, *next;
    reg_file *curf = NULL;
    reg_entry *cure = NULL;
    int first = 1, ok = 1;

    memset(cache, 0, sizeof *cache);
    if (!path)
        return;
    text = read_cache_file(path);
    end = text ? text + strlen(text) : NULL;
    for (line = text; line && line < end; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        else
            next = end;
        if (first) {
            char *f[MAX_FIELDS + 1];
            char abi[32];
            int n = split_fields(line, f, MAX_FIELDS);
            snprintf(abi, sizeof abi, "%d.%d", DP_ABI_MAJOR, DP_ABI_MINOR);
            if (n != 4 || !dpu_streq(f[0], CACHE_MAGIC) || !dpu_streq(f[1], CACHE_FORMAT) ||
                !dpu_streq(f[2], dp_version()) || !dpu_streq(f[3], abi)) {
                ok = 0;
                break;
            }
            first = 0;
            continue;
        }
        if (parse_line(cache, line, &curf, &cure) != 0) {
            ok = 0;
            break;
        }
    }
    if (first)
        ok = 0;
    free(text);
    free(path);
    if (!ok) {
        reg_cache_clear(cache);
        cache->dirty = 1;
        return;
    }
    for (size_t i = 0; i < cache->nentries; i++)
        reg_entry_finish(cache->entries[i]);
}

static int mkdir_p(const char *dir)
{
    char *copy = dpu_strdup(dir), *p;
    int rc = 0;
    if (!copy)
        return -1;
    for (p = copy + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(copy, 0700) != 0 && errno != EEXIST)
                rc = -1;
            *p = '/';
        }
    }
    if (mkdir(copy, 0700) != 0 && errno != EEXIST)
        rc = -1;
    free(copy);
    return rc;
}

void reg_cache_save(const reg_cache *c, const char *cache_dir, const char *plugin_dir)
{
    char *path = NULL, *tmp = NULL;
    FILE *fp = NULL;
    int fd = -1;
    size_t i, j, k;
    char num[3][32];

    if (mkdir_p(cache_dir) != 0)
        return;
    path = cache_path(cache_dir, plugin_dir);
    tmp = path ? dpu_printf("%s.XXXXXX", path) : NULL;
    if (!tmp)
        goto fail;
    fd = mkstemp(tmp);
    if (fd < 0)
        goto fail;
    fp = fdopen(fd, "w");
    if (!fp)
        goto fail;
    fd = -1;
    fprintf(fp, "%s\t%s\t", CACHE_MAGIC, CACHE_FORMAT);
    put_field(fp, dp_version(), 0);
    fprintf(fp, "%d.%d\n", DP_ABI_MAJOR, DP_ABI_MINOR);
    for (i = 0; i < c->nfiles; i++) {
        const reg_file *f = c->files[i];
        if (f->reason && !f->cacheable)
            continue;
        snprintf(num[0], sizeof num[0], "%" PRId64, f->size);
        snprintf(num[1], sizeof num[1], "%" PRId64, f->mtime_sec);
        snprintf(num[2], sizeof num[2], "%" PRId64, f->mtime_nsec);
        fputs(f->reason ? "X\t" : "F\t", fp);
        put_field(fp, f->path, 0);
        put_field(fp, num[0], 0);
        put_field(fp, num[1], 0);
        put_field(fp, num[2], 0);
        if (f->reason) {
            put_field(fp, f->reason, 1);
            continue;
        }
        put_field(fp, f->module, 0);
        put_field(fp, f->version, 1);
        for (j = 0; j < c->nentries; j++) {
            const reg_entry *e = c->entries[j];
            char kind[16], bin[16], flags[16];
            if (e->file != f)
                continue;
            snprintf(kind, sizeof kind, "%d", (int)e->info.kind);
            snprintf(bin, sizeof bin, "%d", e->info.binary_output ? 1 : 0);
            snprintf(flags, sizeof flags, "%u", e->info.flags);
            fputs("P\t", fp);
            put_field(fp, kind, 0);
            put_field(fp, e->info.id, 0);
            put_field(fp, e->info.name, 0);
            put_field(fp, e->info.version, 0);
            put_field(fp, e->info.format, 0);
            put_field(fp, bin, 0);
            put_field(fp, flags, 0);
            put_field(fp, e->info.description, 1);
            for (k = 0; k < e->aliases.n; k++) {
                fputs("A\t", fp);
                put_field(fp, e->aliases.v[k], 1);
            }
            for (k = 0; k < e->extensions.n; k++) {
                fputs("E\t", fp);
                put_field(fp, e->extensions.v[k], 1);
            }
            for (k = 0; k < e->mime_types.n; k++) {
                fputs("M\t", fp);
                put_field(fp, e->mime_types.v[k], 1);
            }
            for (k = 0; k < e->noptions; k++) {
                const dp_option_spec *o = &e->options[k];
                char type[16];
                snprintf(type, sizeof type, "%d", (int)o->type);
                fputs("O\t", fp);
                put_field(fp, o->key, 0);
                put_field(fp, type, 0);
                put_field(fp, o->default_value, 0);
                put_field(fp, o->choices, 0);
                put_field(fp, o->help, 1);
            }
        }
    }
    if (fflush(fp) != 0 || ferror(fp))
        goto fail;
    if (fclose(fp) != 0) {
        fp = NULL;
        goto fail;
    }
    fp = NULL;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    free(path);
    return;
fail:
    if (fp)
        fclose(fp);
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    free(tmp);
    free(path);
}
