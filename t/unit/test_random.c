/*
 * Request ids drawn in bulk (src/core/sfb_random.h): the form nginx's $request_id
 * has, never the same twice across many refills, digits spread as random
 * bytes spread them, and a reset that keeps a forked copy of a pool from
 * repeating its parent's ids.
 */

#include <stdlib.h>

#include "sfb_random.h"
#include "sfb_tap.h"


#define IDS  100000


static int
cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, SFB_RANDOM_ID_LEN);
}


int
main(void)
{
    int                  bad, dup, i, k, c;
    long                 counts[16], lo, hi;
    unsigned char        id[SFB_RANDOM_ID_LEN], id2[SFB_RANDOM_ID_LEN];
    unsigned char       *all;
    sfb_random_t         child;

    static sfb_random_t  pool;      /* zeroed, as a worker's is at start */

    all = malloc((size_t) IDS * SFB_RANDOM_ID_LEN);
    if (all == NULL) {
        return 1;
    }

    memset(counts, 0, sizeof(counts));
    bad = 0;

    for (i = 0; i < IDS; i++) {
        if (sfb_random_id(&pool, all + (size_t) i * SFB_RANDOM_ID_LEN) != 0) {
            bad++;
            continue;
        }

        for (k = 0; k < SFB_RANDOM_ID_LEN; k++) {
            c = all[(size_t) i * SFB_RANDOM_ID_LEN + k];

            if (c >= '0' && c <= '9') {
                counts[c - '0']++;
            } else if (c >= 'a' && c <= 'f') {
                counts[c - 'a' + 10]++;
            } else {
                bad++;
            }
        }
    }

    is_int(bad, 0, "%d ids (%d refills), each 32 lowercase hex digits", IDS,
           IDS * 16 / SFB_RANDOM_POOL);

    qsort(all, IDS, SFB_RANDOM_ID_LEN, cmp_id);
    dup = 0;

    for (i = 1; i < IDS; i++) {
        dup += memcmp(all + (size_t) (i - 1) * SFB_RANDOM_ID_LEN,
                      all + (size_t) i * SFB_RANDOM_ID_LEN,
                      SFB_RANDOM_ID_LEN) == 0;
    }

    is_int(dup, 0, "no id given twice");

    /* 3.2 million digits, 200,000 of each expected: a pool handing out
     * anything but its random bytes (zeros, a repeat) lands far outside */
    lo = counts[0];
    hi = counts[0];

    for (k = 1; k < 16; k++) {
        lo = counts[k] < lo ? counts[k] : lo;
        hi = counts[k] > hi ? counts[k] : hi;
    }

    ok(lo > 196000 && hi < 204000,
       "hex digits evenly spread (fewest %ld, most %ld of 200000)", lo, hi);

    /* a fork copies the pool: without a reset both sides say the same */
    child = pool;
    (void) sfb_random_id(&pool, id);
    (void) sfb_random_id(&child, id2);
    ok(memcmp(id, id2, sizeof(id)) == 0,
       "a copy of a pool repeats its ids (why a worker resets it)");

    child = pool;
    sfb_random_reset(&child);
    ok(child.left == 0, "reset empties the pool");
    (void) sfb_random_id(&pool, id);
    (void) sfb_random_id(&child, id2);
    ok(memcmp(id, id2, sizeof(id)) != 0,
       "after a reset the copy draws its own bytes");

    free(all);

    return done_testing();
}
