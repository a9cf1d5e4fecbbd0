/*
 * sf-backup-gate: request ids drawn in bulk from RAND_bytes() (sfb_random.h).
 */

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sfb_hex.h"
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
    const unsigned char  *p;

    if (r->left < SFB_RANDOM_ID_BYTES) {
        if (RAND_bytes(r->bytes, (int) sizeof(r->bytes)) != 1) {
            sfb_random_reset(r);
            return -1;
        }

        r->left = sizeof(r->bytes);
    }

    p = r->bytes + sizeof(r->bytes) - r->left;

    (void) sfb_hex_encode((char *) out, p, SFB_RANDOM_ID_BYTES);

    r->left -= SFB_RANDOM_ID_BYTES;

    return 0;
}
