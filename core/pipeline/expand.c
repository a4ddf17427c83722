/* Planning a run: globs (with "**"), chained job inputs, inferred formats,
 * output names from patterns ({stem} {name} {ext} {dir} {format} {outext}),
 * collision checks, and the --dry-run text. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline/pipeline_priv.h"

#define MAX_GLOB_DEPTH 64
#define MAX_GLOB_RESULTS 1000000

int dpc_has_glob(const char *s)
{
    return s && strpbrk(s, "*?[") != NULL;
}

typedef struct globber {
    char **segs;
    size_t nsegs;
    dpu_strv *out;
    int rc;
} globber;

static void walk(globber *g, const char *dir, size_t seg, int depth);

static void walk_into(globber *g, const char *dir, const char *name, size_t seg, int depth)
{
    char *path = strcmp(dir, "") == 0 ? dpu_strdup(name)
                 : strcmp(dir, "/") == 0 ? dpu_printf("/%s", name)
                                        : dpu_printf("%s/%s", dir, name);
    if (!path) {
        g->rc = DP_ENOMEM;
        return;
    }
    walk(g, path, seg, depth);
    free(path);
}

static void walk(globber *g, const char *dir, size_t seg, int depth)
{
    struct stat st;
    const char *s;
    const char *open_dir = dir[0] ? dir : ".";
    DIR *d;
    struct dirent *de;

    if (g->rc || depth > MAX_GLOB_DEPTH)
        return;
    if (seg == g->nsegs) {
        if (stat(open_dir, &st) == 0 && S_ISREG(st.st_mode)) {
            if (g->out->n >= MAX_GLOB_RESULTS || dpu_strv_push(g->out, dir) != 0)
                g->rc = DP_ENOMEM;
        }
        return;
    }
    s = g->segs[seg];
    if (strcmp(s, "**") == 0) {
        walk(g, dir, seg + 1, depth); /* zero directories */
        d = opendir(open_dir);
        if (!d)
            return;
        while ((de = readdir(d)) != NULL && !g->rc) {
            char *sub;
            if (de->d_name[0] == '.')
                continue;
            sub = dir[0] ? dpu_printf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, de->d_name)
                         : dpu_strdup(de->d_name);
            if (!sub) {
                g->rc = DP_ENOMEM;
                break;
            }
            /* lstat: never follow symlinked directories (loops) */
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                walk(g, sub, seg, depth + 1);
            free(sub);
        }
        closedir(d);
        return;
    }
    if (!dpc_has_glob(s)) {
        walk_into(g, dir, s, seg + 1, depth + 1);
        return;
    }
    d = opendir(open_dir);
    if (!d)
        return;
    while ((de = readdir(d)) != NULL && !g->rc) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (fnmatch(s, de->d_name, FNM_PERIOD) == 0)
            walk_into(g, dir, de->d_name, seg + 1, depth + 1);
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int dpc_glob(const char *pattern, dpu_strv *out, dp_error *err)
{
    globber g;
    char *copy = dpu_strdup(pattern), *save = NULL, *tok;
    dpu_strv segs = {0};
    size_t i, w;
    memset(&g, 0, sizeof g);
    if (!copy)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save))
        if (dpu_strv_push(&segs, tok) != 0) {
            free(copy);
            dpu_strv_clear(&segs);
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        }
    free(copy);
    g.segs = segs.v;
    g.nsegs = segs.n;
    g.out = out;
    walk(&g, pattern[0] == '/' ? "/" : "", 0, 0);
    dpu_strv_clear(&segs);
    if (g.rc)
        return dp_error_set(err, g.rc, pattern, 0, 0, "out of memory expanding the glob");
    if (out->n > 1) {
        qsort(out->v, out->n, sizeof *out->v, cmp_str);
        for (i = 1, w = 1; i < out->n; i++) {
            if (strcmp(out->v[i], out->v[w - 1]) == 0)
                free(out->v[i]);
            else
                out->v[w++] = out->v[i];
        }
        out->n = w;
        out->v[w] = NULL;
    }
    return 0;
}

/* ---- plan ---- */

static void item_clear(dpc_item *it)
{
    size_t k;
    free(it->input);
    if (it->outputs)
        for (k = 0; k < it->noutputs; k++)
            free(it->outputs[k]);
    free(it->outputs);
    free(it->exporters);
    free(it->out_ok);
    free(it->reldir);
    memset(it, 0, sizeof *it);
}

void dpc_plan_clear(dpc_plan *plan)
{
    size_t i;
    for (i = 0; i < plan->nitems; i++)
        item_clear(&plan->items[i]);
    free(plan->items);
    dpu_strv_clear(&plan->unclaimed);
    free(plan->unclaimed_job);
    memset(plan, 0, sizeof *plan);
}

/* The directory part of a glob pattern that holds no wildcard. */
static size_t glob_base_len(const char *pattern)
{
    const char *first = strpbrk(pattern, "*?[");
    const char *p;
    if (!first)
        return 0;
    for (p = first; p > pattern && p[-1] != '/'; p--)
        ;
    return (size_t)(p - pattern);
}

static const char *matched_ext(const dp_plugin_info *importer, const char *base)
{
    const char *best = NULL;
    size_t k;
    if (!importer)
        return NULL;
    for (k = 0; importer->extensions[k]; k++)
        if (dpu_has_ext(base, importer->extensions[k]) &&
            (!best || strlen(importer->extensions[k]) > strlen(best)))
            best = importer->extensions[k];
    return best;
}

static int append(char **s, size_t *len, size_t *cap, const char *add, size_t n)
{
    if (DP_ARRAY_RESERVE(*s, *cap, *len + n + 1))
        return -1;
    memcpy(*s + *len, add, n);
    *len += n;
    (*s)[*len] = '\0';
    return 0;
}

static char *expand_pattern(const char *pat, const char *input, const char *reldir,
                            const dp_plugin_info *importer, const dp_plugin_info *exporter, int *bad)
{
    const char *base = strcmp(input, "-") == 0 ? "stdin" : dpu_basename(input);
    const char *ext = matched_ext(importer, base);
    char stem[1024], inext[256];
    char *out = NULL;
    size_t len = 0, cap = 0;
    const char *p;
    size_t bl = strlen(base);

    *bad = 0;
    if (!ext) {
        const char *dot = strrchr(base, '.');
        ext = dot && dot != base ? dot + 1 : "";
    }
    snprintf(inext, sizeof inext, "%s", ext);
    if (*ext && bl > strlen(ext) + 1)
        snprintf(stem, sizeof stem, "%.*s", (int)(bl - strlen(ext) - 1), base);
    else
        snprintf(stem, sizeof stem, "%s", base);
    if (append(&out, &len, &cap, "", 0) != 0)
        return NULL;
    for (p = pat; *p;) {
        const char *val = NULL;
        size_t skip = 0;
        if (*p == '{') {
            if (strncmp(p, "{stem}", 6) == 0)
                val = stem, skip = 6;
            else if (strncmp(p, "{name}", 6) == 0)
                val = base, skip = 6;
            else if (strncmp(p, "{ext}", 5) == 0)
                val = inext, skip = 5;
            else if (strncmp(p, "{dir}", 5) == 0)
                val = reldir ? reldir : "", skip = 5;
            else if (strncmp(p, "{format}", 8) == 0)
                val = exporter ? exporter->format : "", skip = 8;
            else if (strncmp(p, "{outext}", 8) == 0)
                val = exporter && exporter->extensions[0] ? exporter->extensions[0]
                                                          : (exporter ? exporter->format : ""),
                skip = 8;
            else {
                *bad = 1;
                free(out);
                return NULL;
            }
        }
        if (val) {
            if (append(&out, &len, &cap, val, strlen(val)) != 0)
                goto oom;
            p += skip;
            /* "{dir}/x" with an empty dir is just "x" */
            if (!*val && skip == 5 && *p == '/')
                p++;
        } else {
            if (append(&out, &len, &cap, p, 1) != 0)
                goto oom;
            p++;
        }
    }
    return out;
oom:
    free(out);
    return NULL;
}

static int add_item(dpc_plan *plan, dpc_item *it)
{
    if (DP_ARRAY_RESERVE(plan->items, plan->items_cap, plan->nitems + 1))
        return DP_ENOMEM;
    plan->items[plan->nitems++] = *it;
    return 0;
}

/* A job's exclude globs are matched against the whole path with a star
 * crossing slashes: "drafts/" and a star leaves out everything under drafts/. */
static int excluded(const dpc_job *j, const char *path)
{
    for (size_t k = 0; k < j->exclude.n; k++)
        if (fnmatch(j->exclude.v[k], path, FNM_PERIOD) == 0)
            return 1;
    return 0;
}

static int add_unclaimed(dpc_plan *plan, size_t jobidx, const char *path, dp_error *err)
{
    if (DP_ARRAY_RESERVE(plan->unclaimed_job, plan->unclaimed_job_cap, plan->unclaimed.n + 1))
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    plan->unclaimed_job[plan->unclaimed.n] = jobidx;
    if (dpu_strv_push(&plan->unclaimed, path) != 0)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

static const dp_plugin_info *importer_for_format(dp_registry *reg, const char *format)
{
    return dp_registry_find(reg, DP_PLUGIN_IMPORTER, format);
}

static int plan_input(dp_pipeline *p, dp_registry *reg, dpc_plan *plan, size_t jobidx, const char *input,
                      const char *reldir, const dp_plugin_info *importer, dp_error *err)
{
    dpc_job *j = &p->jobs[jobidx];
    dpc_item it;
    size_t k, i, m;
    memset(&it, 0, sizeof it);
    it.job = jobidx;
    it.importer = importer;
    it.src_item = -1;
    if (!it.importer) {
        it.importer = dp_registry_find_by_path(reg, DP_PLUGIN_IMPORTER, input);
        if (!it.importer)
            return dp_error_set(err, p->file ? DP_ECONFIG : DP_EUSAGE, p->file, j->input.line, j->input.column,
                                "cannot tell the input format of '%s' from its extension; give 'format:'",
                                input);
    }
    it.input = dpu_strdup(input);
    it.reldir = reldir ? dpu_strdup(reldir) : NULL;
    it.noutputs = j->noutputs;
    it.outputs = calloc(j->noutputs, sizeof *it.outputs);
    it.exporters = calloc(j->noutputs, sizeof *it.exporters);
    it.out_ok = calloc(j->noutputs ? j->noutputs : 1, 1);
    if (!it.input || (reldir && !it.reldir) || !it.outputs || !it.exporters || !it.out_ok)
        goto oom;
    for (k = 0; k < j->noutputs; k++) {
        dpc_step *o = &j->outputs[k];
        char *rel, *base = NULL;
        int bad;
        it.exporters[k] = o->plugin;
        if (o->path && strcmp(o->path, "-") == 0)
            continue; /* stdout */
        rel = expand_pattern(o->path ? o->path : "{dir}/{stem}.{outext}", input, reldir, it.importer,
                             o->plugin, &bad);
        if (!rel) {
            if (bad) {
                item_clear(&it);
                return dp_error_set(err, DP_ECONFIG, p->file, o->path_line, o->path_column,
                                    "unknown placeholder in output path '%s' (known: {stem} {name} {ext} {dir} "
                                    "{format} {outext})",
                                    o->path);
            }
            goto oom;
        }
        if (j->output_dir) {
            base = dpc_resolve(p, j->output_dir);
            if (!base) {
                free(rel);
                goto oom;
            }
            it.outputs[k] = dpu_path_join(base, rel);
        } else {
            it.outputs[k] = p->file ? dpc_resolve(p, rel) : dpu_strdup(rel);
        }
        free(base);
        if (!it.outputs[k]) {
            free(rel);
            goto oom;
        }
        {
            int rc = p->file ? dpc_trust_output(p, j, o, rel, it.outputs[k], err) : 0;
            free(rel);
            if (rc) {
                item_clear(&it);
                return rc;
            }
        }
        /* Two inputs (or two outputs) writing one file would lose one. */
        for (i = 0; i < plan->nitems; i++)
            for (m = 0; m < plan->items[i].noutputs; m++)
                if (dpu_streq(plan->items[i].outputs[m], it.outputs[k])) {
                    int rc = dp_error_set(err, p->file ? DP_ECONFIG : DP_EUSAGE, p->file, o->line, o->column,
                                          "outputs collide: %s is written for both %s and %s", it.outputs[k],
                                          plan->items[i].input, input);
                    item_clear(&it);
                    return rc;
                }
        for (m = 0; m < k; m++)
            if (dpu_streq(it.outputs[m], it.outputs[k])) {
                int rc = dp_error_set(err, p->file ? DP_ECONFIG : DP_EUSAGE, p->file, o->line, o->column,
                                      "outputs collide: %s is written twice for %s", it.outputs[k], input);
                item_clear(&it);
                return rc;
            }
    }
    if (add_item(plan, &it) != 0)
        goto oom;
    return 0;
oom:
    item_clear(&it);
    return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory planning the run");
}

/* Whether input belongs to this run's shard (see dp_pipeline_set_shard). */
static int in_shard(const dp_pipeline *p, const char *input)
{
    const char *rel = input;
    size_t lb;
    if (!p->shard_count)
        return 1;
    if (strcmp(input, "-") == 0)
        return p->shard_index == 1;
    /* relative to the config's directory: the same on every machine */
    if (p->base_dir) {
        char *base = dpu_path_normalize(p->base_dir);
        if (base) {
            lb = strlen(base);
            if (strncmp(input, base, lb) == 0 && input[lb] == '/')
                rel = input + lb + 1;
            free(base);
        }
    }
    return dpu_hash64(rel) % p->shard_count + 1 == p->shard_index;
}

static int plan_job(dp_pipeline *p, dp_registry *reg, dpc_plan *plan, size_t jobidx, dp_error *err)
{
    dpc_job *j = &p->jobs[jobidx];
    int rc = 0;
    size_t i, k;

    if (j->input_job) {
        size_t n = plan->nitems, found = 0;
        for (i = 0; i < n; i++) {
            if (!dpu_streq(p->jobs[plan->items[i].job].name, j->input_job))
                continue;
            for (k = 0; k < plan->items[i].noutputs; k++) {
                /* plan_input grows plan->items: re-read the source item every time */
                const dpc_item *src = &plan->items[i];
                const dp_plugin_info *imp = j->input.plugin;
                if (!src->outputs[k])
                    continue;
                if (!imp)
                    imp = importer_for_format(reg, src->exporters[k]->format);
                found++;
                if ((rc = plan_input(p, reg, plan, jobidx, src->outputs[k], src->reldir, imp, err)) != 0)
                    return rc;
                plan->items[plan->nitems - 1].src_item = (long)i;
                plan->items[plan->nitems - 1].src_output = k;
            }
        }
        if (!found)
            return dp_error_set(err, DP_ECONFIG, p->file, j->input_job_line, j->input_job_column,
                                "job '%s' writes no file this job could read", j->input_job);
        return 0;
    }
    if (strcmp(j->input.path, "-") == 0)
        return in_shard(p, "-") ? plan_input(p, reg, plan, jobidx, "-", NULL, j->input.plugin, err) : 0;
    {
        char *path = p->file ? dpc_resolve(p, j->input.path) : dpu_strdup(j->input.path);
        if (!path)
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        if (p->file && dpc_has_glob(j->input.path)) { /* the CLI takes names literally */
            dpu_strv files = {0};
            size_t baselen = glob_base_len(path);
            rc = dpc_glob(path, &files, err);
            if (!rc && files.n == 0)
                rc = dp_error_set(err, DP_EINPUT, p->file, j->input.path_line, j->input.path_column,
                                  "no file matches the input '%s'", j->input.path);
            for (i = 0; !rc && i < files.n; i++) {
                char *dir;
                if (!in_shard(p, files.v[i]) || excluded(j, files.v[i]))
                    continue;
                /* a stray file (notes.txt among the chapters) is skipped
                 * with a warning, not a reason to stop the batch */
                if (!j->input.plugin && !dp_registry_find_by_path(reg, DP_PLUGIN_IMPORTER, files.v[i])) {
                    rc = add_unclaimed(plan, jobidx, files.v[i], err);
                    continue;
                }
                dir = dpu_dirname(files.v[i] + baselen);
                if (!dir) {
                    rc = dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
                    break;
                }
                rc = plan_input(p, reg, plan, jobidx, files.v[i], strcmp(dir, ".") == 0 ? "" : dir,
                                j->input.plugin, err);
                free(dir);
            }
            dpu_strv_clear(&files);
        } else {
            struct stat st;
            if (stat(path, &st) != 0)
                rc = dp_error_set(err, DP_EINPUT, p->file ? p->file : path, p->file ? j->input.path_line : 0,
                                  p->file ? j->input.path_column : 0, "%s%s%s: %s", p->file ? "input '" : "",
                                  p->file ? j->input.path : "", p->file ? "'" : "cannot read input",
                                  strerror(errno));
            else if (in_shard(p, path))
                rc = plan_input(p, reg, plan, jobidx, path, "", j->input.plugin, err);
        }
        free(path);
    }
    return rc;
}

int dpc_plan_build(dp_pipeline *p, dp_registry *reg, dpc_plan *plan, dp_error *err)
{
    int level, maxlevel = 0, rc;
    size_t i;
    memset(plan, 0, sizeof *plan);
    for (i = 0; i < p->njobs; i++)
        if (p->jobs[i].level > maxlevel)
            maxlevel = p->jobs[i].level;
    for (level = 0; level <= maxlevel; level++)
        for (i = 0; i < p->njobs; i++)
            if (p->jobs[i].level == level && (rc = plan_job(p, reg, plan, i, err)) != 0) {
                dpc_plan_clear(plan);
                return rc;
            }
    return 0;
}

/* ---- --dry-run ---- */

int dp_pipeline_plan(dp_pipeline *p, dp_registry *reg, dp_buf *out, dp_error *err)
{
    dpc_plan plan;
    size_t i, k;
    int rc;
    if (!p || !reg || !out)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_pipeline_plan: NULL argument");
    if (!p->checked && (rc = dp_pipeline_check(p, reg, err)) != 0)
        return rc;
    if ((rc = dpc_plan_build(p, reg, &plan, err)) != 0)
        return rc;
    for (i = 0; i < p->njobs; i++) {
        dpc_job *j = &p->jobs[i];
        size_t n = 0;
        dp_buf_printf(out, "job %s", j->name ? j->name : "");
        if (p->file)
            dp_buf_printf(out, "%s(%s:%d)", j->name ? " " : "", p->file, j->line);
        if (j->input_job)
            dp_buf_printf(out, " after job %s", j->input_job);
        dp_buf_puts(out, "\n");
        for (k = 0; k < j->nmeta; k++)
            dp_buf_printf(out, "  metadata %s\n", j->meta[k].key);
        for (k = 0; k < p->ncli_meta; k++)
            dp_buf_printf(out, "  metadata %s = %s\n", p->cli_meta[k].key,
                          p->cli_meta[k].val.s ? p->cli_meta[k].val.s : "(list or map)");
        for (k = 0; k < j->ntransforms; k++)
            dp_buf_printf(out, "  transform %s [%s]\n", j->transforms[k].name, j->transforms[k].plugin->id);
        for (k = 0; k < plan.nitems; k++) {
            dpc_item *it = &plan.items[k];
            size_t m;
            if (it->job != i)
                continue;
            n++;
            dp_buf_printf(out, "  %s [%s]\n", it->input, it->importer->id);
            for (m = 0; m < it->noutputs; m++)
                dp_buf_printf(out, "    -> %s [%s]\n", it->outputs[m] ? it->outputs[m] : "(stdout)",
                              it->exporters[m]->id);
        }
        dp_buf_printf(out, "  %zu input%s\n", n, n == 1 ? "" : "s");
    }
    dpc_plan_clear(&plan);
    return 0;
}
