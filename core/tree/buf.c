/* dp_buf: a growable byte buffer, always NUL-terminated past len. */
#include <docpipe/dp_common.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dp_buf {
    unsigned char *data;
    size_t len;
    size_t cap; /* allocated bytes, including room for the NUL */
};

DP_EXPORT int dp_buf_new(dp_buf **out)
{
    if (!out)
        return DP_EINVAL;
    *out = calloc(1, sizeof(dp_buf));
    return *out ? DP_OK : DP_ENOMEM;
}

DP_EXPORT void dp_buf_free(dp_buf *buf)
{
    if (!buf)
        return;
    free(buf->data);
    free(buf);
}

/* Makes room for extra more bytes plus the terminating NUL. */
static int reserve(dp_buf *buf, size_t extra)
{
    if (extra > SIZE_MAX - buf->len - 1)
        return DP_ENOMEM;
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return DP_OK;
    size_t cap = buf->cap ? buf->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    unsigned char *p = realloc(buf->data, cap);
    if (!p)
        return DP_ENOMEM;
    buf->data = p;
    buf->cap = cap;
    return DP_OK;
}

DP_EXPORT int dp_buf_append(dp_buf *buf, const void *data, size_t len)
{
    if (!buf || (!data && len))
        return DP_EINVAL;
    int rc = reserve(buf, len);
    if (rc)
        return rc;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return DP_OK;
}

DP_EXPORT int dp_buf_puts(dp_buf *buf, const char *s)
{
    if (!s)
        return DP_EINVAL;
    return dp_buf_append(buf, s, strlen(s));
}

DP_EXPORT int dp_buf_printf(dp_buf *buf, const char *fmt, ...)
{
    if (!buf || !fmt)
        return DP_EINVAL;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return DP_EINVAL;
    if ((size_t)n < sizeof small)
        return dp_buf_append(buf, small, (size_t)n);
    int rc = reserve(buf, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf((char *)buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return DP_OK;
}

DP_EXPORT const unsigned char *dp_buf_data(const dp_buf *buf)
{
    static const unsigned char empty[1] = {0};
    if (!buf || !buf->data)
        return empty;
    return buf->data;
}

DP_EXPORT size_t dp_buf_len(const dp_buf *buf)
{
    return buf ? buf->len : 0;
}

DP_EXPORT void dp_buf_reset(dp_buf *buf)
{
    if (!buf)
        return;
    buf->len = 0;
    if (buf->data)
        buf->data[0] = '\0';
}

DP_EXPORT unsigned char *dp_buf_detach(dp_buf *buf, size_t *len)
{
    if (!buf)
        return NULL;
    unsigned char *p = buf->data;
    if (len)
        *len = buf->len;
    if (!p) {
        /* Always hand back a freeable, NUL-terminated block. */
        p = calloc(1, 1);
    }
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    return p;
}

DP_EXPORT int dp_buf_append_base64(dp_buf *buf, const void *data, size_t len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *in = data;
    if (!buf || (!data && len))
        return DP_EINVAL;
    if (len / 3 >= (SIZE_MAX - buf->len - 8) / 4)
        return DP_ENOMEM;
    int rc = reserve(buf, (len + 2) / 3 * 4);
    if (rc)
        return rc;
    unsigned char *o = buf->data + buf->len;
    for (size_t i = 0; i < len; i += 3) {
        size_t rest = len - i;
        unsigned v = (unsigned)in[i] << 16;
        if (rest > 1)
            v |= (unsigned)in[i + 1] << 8;
        if (rest > 2)
            v |= in[i + 2];
        *o++ = (unsigned char)alphabet[(v >> 18) & 63];
        *o++ = (unsigned char)alphabet[(v >> 12) & 63];
        *o++ = (unsigned char)(rest > 1 ? alphabet[(v >> 6) & 63] : '=');
        *o++ = (unsigned char)(rest > 2 ? alphabet[v & 63] : '=');
    }
    buf->len = (size_t)(o - buf->data);
    buf->data[buf->len] = '\0';
    return DP_OK;
}
