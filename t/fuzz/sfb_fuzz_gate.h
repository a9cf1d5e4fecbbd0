/*
 * Invariants of the gate's pure core that more than one target checks.
 */

#ifndef SFB_FUZZ_GATE_H
#define SFB_FUZZ_GATE_H

#include "sfb_fuzz.h"
#include "sfb_types.h"
#include "sfb_message.h"
#include "sfb_path.h"
#include "sfb_route.h"
#include "sfb_query.h"
#include "sfb_body.h"
#include "sfb_schema.h"
#include "sfb_mask.h"
#include "sfb_canonical.h"
#include "sfb_gate.h"


#define SFB_FUZZ_MSG_MAX  4096


/*
 * sfb_describe() for reason and d: a printable ASCII sentence ending in
 * '.', NUL-terminated, of the length returned; cut into smaller buffers it
 * is a NUL-terminated prefix of itself and the return value does not
 * change; size 0 writes nothing.
 */

static inline void
sfb_fuzz_check_describe(sfb_reason_e reason, const sfb_decision_t *d,
    const sfb_rules_t *rules)
{
    char    full[SFB_FUZZ_MSG_MAX], *small;
    size_t  n, m, k, i;
    size_t  sizes[5];

    n = sfb_describe(reason, d, rules, full, sizeof(full));

    SFB_FUZZ_CHECK(n > 0 && n < sizeof(full), "describe(%s) length %zu",
                   sfb_reason_name(reason), n);
    SFB_FUZZ_CHECK(strlen(full) == n, "describe(%s) returned %zu, wrote %zu",
                   sfb_reason_name(reason), n, strlen(full));
    SFB_FUZZ_CHECK(sfb_fuzz_printable(full, n + 1),
                   "describe(%s) is not printable ASCII: %s",
                   sfb_reason_name(reason), full);
    SFB_FUZZ_CHECK(full[n - 1] == '.', "describe(%s) does not end in '.': %s",
                   sfb_reason_name(reason), full);

    sizes[0] = 0;
    sizes[1] = 1;
    sizes[2] = n / 2 + 1;
    sizes[3] = n;
    sizes[4] = n + 1;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        k = sizes[i];
        small = (char *) sfb_fuzz_alloc(k);

        if (k) {
            memset(small, 'Z', k);
        }

        m = sfb_describe(reason, d, rules, small, k);

        SFB_FUZZ_CHECK(m == n, "describe(%s) into %zu bytes returned %zu, "
                       "not %zu", sfb_reason_name(reason), k, m, n);

        if (k) {
            SFB_FUZZ_CHECK(memchr(small, '\0', k) != NULL
                           && strlen(small) == (n < k ? n : k - 1)
                           && memcmp(small, full, strlen(small)) == 0,
                           "describe(%s) into %zu bytes is not a "
                           "NUL-terminated prefix", sfb_reason_name(reason),
                           k);
        }

        free(small);
    }
}


/* A reason any step may give, and nothing else. */

static inline int
sfb_fuzz_reason_known(sfb_reason_e reason)
{
    return (unsigned) reason < SFB_REASON__COUNT;
}


#endif /* SFB_FUZZ_GATE_H */
