/* Base64 (RFC 4648 section 4, padded, no line breaks) for resources. */
#include "dp_json.h"

/* The encoder is the core's (dp_buf_append_base64, also behind data: URIs). */
void b64_encode(jw *w, const unsigned char *data, size_t len)
{
    if (w->rc == 0 && dp_buf_append_base64(w->out, data, len) != DP_OK)
        w->rc = DP_ENOMEM;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

size_t b64_decode(const char *s, size_t len, unsigned char *out)
{
    if (len % 4 != 0)
        return (size_t)-1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            unsigned char c = (unsigned char)s[i + (size_t)k];
            if (c == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            if (pad) /* data after padding */
                return (size_t)-1;
            v[k] = b64_value(c);
            if (v[k] < 0)
                return (size_t)-1;
        }
        unsigned bits = ((unsigned)v[0] << 18) | ((unsigned)v[1] << 12) | ((unsigned)v[2] << 6) | (unsigned)v[3];
        /* Canonical form only: the bits dropped by padding must be zero,
         * so that decoding and re-encoding give the same text. */
        if ((pad == 1 && (bits & 0xFF)) || (pad == 2 && (bits & 0xFFFF)))
            return (size_t)-1;
        out[o++] = (unsigned char)(bits >> 16);
        if (pad < 2)
            out[o++] = (unsigned char)(bits >> 8);
        if (pad < 1)
            out[o++] = (unsigned char)bits;
    }
    return o;
}
