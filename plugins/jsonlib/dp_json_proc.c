/* Running an external filter: the document's JSON on its stdin, its stdout
 * and stderr collected, a deadline; and adopting the document it printed.
 * Shared by the json plugin's filter transform and pandoc-json's.
 *
 * stdin is a socket pair rather than a pipe so that a filter that exits
 * without reading everything cannot kill docpipe with SIGPIPE (send with
 * MSG_NOSIGNAL), without touching process-wide signals. The environment is
 * built before fork (the child of a threaded process may only call
 * async-signal-safe functions: execve is one, setenv is not). */
#define _GNU_SOURCE /* pipe2, SOCK_CLOEXEC, execvpe */
#include "dp_json.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef struct child_io {
    const unsigned char *in;
    size_t inlen, sent;
    dp_buf *out, *err;
} child_io;

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drains one readable fd into buf; returns 0 at EOF, 1 if still open. */
static int drain(int fd, dp_buf *buf)
{
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n > 0)
        return dp_buf_append(buf, chunk, (size_t)n) == 0 ? 1 : 0;
    return n < 0 && (errno == EAGAIN || errno == EINTR) ? 1 : 0;
}

/* Feeds stdin and collects stdout/stderr until both close or the deadline
 * passes. Returns 0, or DP_ELIMIT on timeout. */
static int pump(int in_fd, int out_fd, int err_fd, child_io *io, long deadline)
{
    int open_in = 1, open_out = 1, open_err = 1;
    while (open_out || open_err) {
        struct pollfd p[3] = {{open_in ? in_fd : -1, POLLOUT, 0},
                              {open_out ? out_fd : -1, POLLIN, 0},
                              {open_err ? err_fd : -1, POLLIN, 0}};
        long left = deadline - now_ms();
        if (left <= 0)
            return DP_ELIMIT;
        if (poll(p, 3, (int)(left > 1000 ? 1000 : left)) < 0 && errno != EINTR)
            return DP_EINTERNAL;
        if (open_in && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = send(in_fd, io->in + io->sent, io->inlen - io->sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0)
                io->sent += (size_t)n;
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || io->sent == io->inlen) {
                shutdown(in_fd, SHUT_WR); /* EOF for the child (or it stopped reading) */
                open_in = 0;
            }
        }
        if (open_out && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
            open_out = drain(out_fd, io->out);
        if (open_err && (p[2].revents & (POLLIN | POLLHUP | POLLERR)))
            open_err = drain(err_fd, io->err);
    }
    return 0;
}

/* environ plus extra (replacing variables of the same name); malloc'd
 * array of borrowed strings. */
static char **make_env(char *const *extra)
{
    size_t n = 0, k = 0, i, j;
    char **env;
    while (environ[n])
        n++;
    while (extra && extra[k])
        k++;
    if (!(env = calloc(n + k + 1, sizeof *env)))
        return NULL;
    for (i = 0, j = 0; i < n; i++) {
        int replaced = 0;
        for (size_t e = 0; e < k && !replaced; e++) {
            size_t len = strcspn(extra[e], "=");
            replaced = strncmp(environ[i], extra[e], len) == 0 && environ[i][len] == '=';
        }
        if (!replaced)
            env[j++] = environ[i];
    }
    for (i = 0; i < k; i++)
        env[j++] = extra[i];
    return env;
}

/* Runs argv with io; *status receives the wait status. */
static int run_filter(char *const *argv, char *const *env_extra, child_io *io, long timeout_ms, int *status)
{
    int sv[2] = {-1, -1}, out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, rc = DP_EINTERNAL;
    pid_t pid = -1;
    char **env = make_env(env_extra);
    if (!env)
        return DP_EINTERNAL;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 || pipe2(out_p, O_CLOEXEC) != 0 ||
        pipe2(err_p, O_CLOEXEC) != 0)
        goto cleanup;
    pid = fork();
    if (pid < 0)
        goto cleanup;
    if (pid == 0) {
        dup2(sv[1], 0);
        dup2(out_p[1], 1);
        dup2(err_p[1], 2);
        execvpe(argv[0], argv, env);
        dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(sv[1]), sv[1] = -1;
    close(out_p[1]), out_p[1] = -1;
    close(err_p[1]), err_p[1] = -1;
    fcntl(out_p[0], F_SETFL, O_NONBLOCK);
    fcntl(err_p[0], F_SETFL, O_NONBLOCK);
    rc = pump(sv[0], out_p[0], err_p[0], io, now_ms() + timeout_ms);
    if (rc == DP_ELIMIT)
        kill(pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
cleanup:
    for (int i = 0; i < 2; i++) {
        if (sv[i] >= 0)
            close(sv[i]);
        if (out_p[i] >= 0)
            close(out_p[i]);
        if (err_p[i] >= 0)
            close(err_p[i]);
    }
    free(env);
    return rc;
}

int dpj_run(char *const *argv, char *const *env_extra, const unsigned char *in, size_t inlen, dp_buf *out,
            dp_buf *err, long timeout_ms, int *status)
{
    child_io io = {in, inlen, 0, out, err};
    return run_filter(argv, env_extra, &io, timeout_ms, status);
}

/* Deep copy of a metadata value into doc. Depth is bounded by the JSON
 * reader's nesting cap, so recursion is safe here. */
static dp_meta *copy_meta(dp_doc *doc, const dp_meta *m)
{
    dp_meta *c = NULL;
    switch (dp_meta_get_type(m)) {
    case DP_META_MAP:
        if (!(c = dp_meta_new_map(doc)))
            return NULL;
        for (size_t i = 0; i < dp_meta_map_count(m); i++) {
            dp_meta *v = copy_meta(doc, dp_meta_map_value_at(m, i));
            if (!v || dp_meta_set(c, dp_meta_map_key_at(m, i), v) != 0)
                return NULL;
        }
        return c;
    case DP_META_LIST:
        if (!(c = dp_meta_new_list(doc)))
            return NULL;
        for (size_t i = 0; i < dp_meta_len(m); i++) {
            dp_meta *v = copy_meta(doc, dp_meta_at(m, i));
            if (!v || dp_meta_append(c, v) != 0)
                return NULL;
        }
        return c;
    case DP_META_STRING:
        return dp_meta_new_string(doc, dp_meta_string(m));
    case DP_META_BOOL:
        return dp_meta_new_bool(doc, dp_meta_bool(m));
    case DP_META_INLINES:
    case DP_META_BLOCKS:
        if (!(c = dp_meta_new_nodes(doc, dp_meta_get_type(m))))
            return NULL;
        for (const dp_node *n = dp_node_first_child(dp_meta_nodes(m)); n; n = dp_node_next(n)) {
            dp_node *copy = dp_node_copy(doc, n);
            if (!copy || dp_node_append_child(dp_meta_nodes(c), copy) != 0)
                return NULL;
        }
        return c;
    }
    return NULL;
}

/* Makes doc hold what filtered holds: body, metadata and resources. */
int dpj_adopt(dp_doc *doc, const dp_doc *filtered)
{
    dp_node *root = dp_doc_root(doc);
    dp_meta *meta = dp_doc_meta(doc), *src = dp_doc_meta(filtered);
    while (dp_node_first_child(root))
        dp_node_unlink(dp_node_first_child(root));
    for (const dp_node *n = dp_node_first_child(dp_doc_root(filtered)); n; n = dp_node_next(n)) {
        dp_node *copy = dp_node_copy(doc, n);
        if (!copy || dp_node_append_child(root, copy) != 0)
            return DP_ENOMEM;
    }
    while (dp_meta_map_count(meta))
        dp_meta_remove(meta, dp_meta_map_key_at(meta, 0));
    for (size_t i = 0; i < dp_meta_map_count(src); i++) {
        dp_meta *v = copy_meta(doc, dp_meta_map_value_at(src, i));
        if (!v || dp_meta_set(meta, dp_meta_map_key_at(src, i), v) != 0)
            return DP_ENOMEM;
    }
    for (size_t i = 0; i < dp_doc_resource_count(filtered); i++) {
        const dp_resource *r = dp_doc_resource_at(filtered, i);
        if (dp_doc_add_resource(doc, r->name, r->mime, r->data, r->len) != 0)
            return DP_ENOMEM;
    }
    return 0;
}

/* The last line of the filter's stderr, for the error message. */
const char *dpj_last_line(dp_buf *err)
{
    dp_buf_append(err, "", 1);
    char *s = (char *)dp_buf_data(err);
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    char *nl = strrchr(s, '\n');
    return nl ? nl + 1 : s;
}


/* One report for every way a filter can fail (both filter transforms). */
int dpj_filter_run(dp_ctx *ctx, const char *name, char *const *argv, char *const *env_extra, const dp_buf *in,
                   long timeout_s, dp_buf *out)
{
    dp_buf *err = NULL;
    int status = 0, rc;
    if (timeout_s <= 0)
        timeout_s = 30;
    if (dp_buf_new(&err) != 0)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "filter: out of memory");
    rc = dpj_run(argv, env_extra, dp_buf_data(in), dp_buf_len(in), out, err, timeout_s * 1000L, &status);
    if (rc == DP_ELIMIT)
        rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "filter '%s' did not finish within %ld s and was killed", name,
                     timeout_s);
    else if (rc != 0)
        rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "filter '%s' could not be started", name);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const char *why = dpj_last_line(err);
        rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "filter '%s' failed (%s %d)%s%s; nothing written", name,
                     WIFEXITED(status) ? "exit status" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), *why ? ": " : "", why);
    } else if (dp_buf_append(out, "", 1) != 0) { /* readers expect NUL-terminated data */
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "filter: out of memory");
    }
    dp_buf_free(err);
    return rc;
}
