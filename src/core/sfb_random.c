/*
 * sf-backup-gate: request ids drawn in bulk from RAND_bytes() (sfb_random.h).
 */

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sfb_random.h"


#define SFB_RANDOM_ID_BYTES  (SFB_RANDOM_ID_LEN / 2)


void
sfb_random_reset(sfb_random_t *r)
{
    OPENSSL_cleanse(r->bytes, sizeof(r->bytes));
    r->left = 0;
}


int
sfb_random_id(sfb_random_t *r, unsigned char *out)
{
    size_t                i;
    const unsigned char  *p;

    static const char  hex[] = "0123456789abcdef";

    if (r->left < SFB_RANDOM_ID_BYTES) {
        if (RAND_bytes(r->bytes, (int) sizeof(r->bytes)) != 1) {
            sfb_random_reset(r);
            return -1;
        }

        r->left = sizeof(r->bytes);
    }

    p = r->bytes + sizeof(r->bytes) - r->left;

    for (i = 0; i < SFB_RANDOM_ID_BYTES; i++) {
        out[2 * i] = (unsigned char) hex[p[i] >> 4];
        out[2 * i + 1] = (unsigned char) hex[p[i] & 0x0f];
    }

    r->left -= SFB_RANDOM_ID_BYTES;

    return 0;
}
