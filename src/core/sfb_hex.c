/*
 * sf-backup-gate: hexadecimal (see sfb_hex.h).
 */

#include "sfb_hex.h"


static const char  sfb_hex_lower[] = "0123456789abcdef";
static const char  sfb_hex_upper[] = "0123456789ABCDEF";


char *
sfb_hex_encode(char *out, const unsigned char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        *out++ = sfb_hex_lower[p[i] >> 4];
        *out++ = sfb_hex_lower[p[i] & 0x0f];
    }

    return out;
}


char *
sfb_hex_string(char *out, const unsigned char *p, size_t n)
{
    *sfb_hex_encode(out, p, n) = '\0';

    return out;
}


unsigned char *
sfb_hex_percent(unsigned char *out, unsigned char c)
{
    *out++ = '%';
    *out++ = (unsigned char) sfb_hex_upper[c >> 4];
    *out++ = (unsigned char) sfb_hex_upper[c & 0x0f];

    return out;
}


int
sfb_hex_decode(const unsigned char *in, size_t len, unsigned char *out)
{
    size_t         i;
    unsigned char  c, d;

    if (len % 2) {
        return -1;
    }

    for (i = 0; i < len; i++) {
        c = in[i];

        if (c >= '0' && c <= '9') {
            d = (unsigned char) (c - '0');

        } else if (c >= 'a' && c <= 'f') {
            d = (unsigned char) (c - 'a' + 10);

        } else {
            return -1;
        }

        if (out == NULL) {
            continue;
        }

        if (i % 2 == 0) {
            out[i / 2] = (unsigned char) (d << 4);

        } else {
            out[i / 2] |= d;
        }
    }

    return 0;
}
