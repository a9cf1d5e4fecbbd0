/*
 * sf-backup-gate: plain strings and jansson's scratch memory (sfb_json.h).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sfb_json.h"


#define SFB_JSON_ALIGN  16


static void *sfb_json_malloc(size_t size);
static void sfb_json_free(void *p);


/* bytes jansson prints as they are inside a string */
static const unsigned char  sfb_json_plain_byte[256] = {
    /* 0x20 - 0x7e less '"' (0x22) and '\\' (0x5c) */
    [0x20] = 1, [0x21] = 1, [0x23] = 1, [0x24] = 1, [0x25] = 1, [0x26] = 1,
    [0x27] = 1, [0x28] = 1, [0x29] = 1, [0x2a] = 1, [0x2b] = 1, [0x2c] = 1,
    [0x2d] = 1, [0x2e] = 1, [0x2f] = 1, [0x30] = 1, [0x31] = 1, [0x32] = 1,
    [0x33] = 1, [0x34] = 1, [0x35] = 1, [0x36] = 1, [0x37] = 1, [0x38] = 1,
    [0x39] = 1, [0x3a] = 1, [0x3b] = 1, [0x3c] = 1, [0x3d] = 1, [0x3e] = 1,
    [0x3f] = 1, [0x40] = 1, [0x41] = 1, [0x42] = 1, [0x43] = 1, [0x44] = 1,
    [0x45] = 1, [0x46] = 1, [0x47] = 1, [0x48] = 1, [0x49] = 1, [0x4a] = 1,
    [0x4b] = 1, [0x4c] = 1, [0x4d] = 1, [0x4e] = 1, [0x4f] = 1, [0x50] = 1,
    [0x51] = 1, [0x52] = 1, [0x53] = 1, [0x54] = 1, [0x55] = 1, [0x56] = 1,
    [0x57] = 1, [0x58] = 1, [0x59] = 1, [0x5a] = 1, [0x5b] = 1, [0x5d] = 1,
    [0x5e] = 1, [0x5f] = 1, [0x60] = 1, [0x61] = 1, [0x62] = 1, [0x63] = 1,
    [0x64] = 1, [0x65] = 1, [0x66] = 1, [0x67] = 1, [0x68] = 1, [0x69] = 1,
    [0x6a] = 1, [0x6b] = 1, [0x6c] = 1, [0x6d] = 1, [0x6e] = 1, [0x6f] = 1,
    [0x70] = 1, [0x71] = 1, [0x72] = 1, [0x73] = 1, [0x74] = 1, [0x75] = 1,
    [0x76] = 1, [0x77] = 1, [0x78] = 1, [0x79] = 1, [0x7a] = 1, [0x7b] = 1,
    [0x7c] = 1, [0x7d] = 1, [0x7e] = 1
};


/* per thread: nginx's thread pools may run other modules' jansson calls */
static __thread sfb_json_scratch_t  *sfb_json_current;


/*
 * Eight bytes at a time: a byte is plain unless it is below 0x20, has its
 * high bit set, or is DEL, '"' or '\\'.  has_zero(v) is non-zero exactly
 * when some byte of v is zero, below(x, 0x20) exactly when some byte of x
 * is below 0x20 (both exact as yes/no answers, whatever the other bytes);
 * the table finishes the last few bytes.
 */

#define SFB_JSON_ONES        UINT64_C(0x0101010101010101)
#define SFB_JSON_HIGHS       UINT64_C(0x8080808080808080)
#define sfb_json_has_zero(v)                                                  \
    (((v) - SFB_JSON_ONES) & ~(v) & SFB_JSON_HIGHS)
#define sfb_json_below(x, b)                                                  \
    (((x) - SFB_JSON_ONES * (b)) & ~(x) & SFB_JSON_HIGHS)

int
sfb_json_plain(const unsigned char *p, size_t n)
{
    size_t    i;
    uint64_t  x;

    for (i = 0; i + 8 <= n; i += 8) {
        memcpy(&x, p + i, 8);

        if ((x & SFB_JSON_HIGHS)
            || sfb_json_below(x, 0x20)
            || sfb_json_has_zero(x ^ (SFB_JSON_ONES * 0x7f))
            || sfb_json_has_zero(x ^ (SFB_JSON_ONES * '"'))
            || sfb_json_has_zero(x ^ (SFB_JSON_ONES * '\\')))
        {
            return 0;
        }
    }

    for ( /* void */ ; i < n; i++) {
        if (!sfb_json_plain_byte[p[i]]) {
            return 0;
        }
    }

    return 1;
}


void
sfb_json_scratch_install(void)
{
    json_malloc_t  m;
    json_free_t    f;

    json_get_alloc_funcs(&m, &f);

    if (m != sfb_json_malloc) {
        json_set_alloc_funcs(sfb_json_malloc, sfb_json_free);
    }
}


void
sfb_json_scratch_begin(sfb_json_scratch_t *s, void *buf, size_t size)
{
    uintptr_t  a;

    s->active = 0;

    if (sfb_json_current != NULL || buf == NULL) {
        return;
    }

    a = ((uintptr_t) buf + SFB_JSON_ALIGN - 1)
        & ~(uintptr_t) (SFB_JSON_ALIGN - 1);

    if (a - (uintptr_t) buf >= size) {
        return;
    }

    s->start = (unsigned char *) a;
    s->pos = s->start;
    s->end = (unsigned char *) buf + size;
    s->active = 1;

    sfb_json_current = s;
}


void
sfb_json_scratch_end(sfb_json_scratch_t *s)
{
    if (s->active) {
        sfb_json_current = NULL;
        s->active = 0;
    }
}


size_t
sfb_json_scratch_used(void)
{
    return sfb_json_current
           ? (size_t) (sfb_json_current->pos - sfb_json_current->start) : 0;
}


static void *
sfb_json_malloc(size_t size)
{
    size_t               n;
    unsigned char       *p;
    sfb_json_scratch_t  *s;

    s = sfb_json_current;

    if (s != NULL && size <= (size_t) (s->end - s->pos)) {
        p = s->pos;
        n = (size + SFB_JSON_ALIGN - 1) & ~(size_t) (SFB_JSON_ALIGN - 1);

        /* the last block may end unaligned, at the end of the buffer */
        s->pos = (n <= (size_t) (s->end - s->pos)) ? s->pos + n : s->end;

        return p;
    }

    return malloc(size);
}


static void
sfb_json_free(void *p)
{
    sfb_json_scratch_t  *s;

    s = sfb_json_current;

    /* scratch memory goes back all at once, at the end of its scope */
    if (s != NULL && (unsigned char *) p >= s->start
        && (unsigned char *) p < s->end)
    {
        return;
    }

    free(p);
}
