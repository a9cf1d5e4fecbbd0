/*
 * Helpers shared by the libFuzzer targets in t/fuzz/fuzz_*.c.
 *
 * A target checks invariants, not only "no crash": a broken one calls
 * SFB_FUZZ_CHECK(), which prints what broke and aborts, so libFuzzer saves
 * the input as a crash.  Every input and output buffer is a heap block of
 * exactly its length, so that ASan sees any access past it.
 */

#ifndef SFB_FUZZ_H
#define SFB_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfb_core.h"


/* The audit key of fuzz_audit_line and of its seed logs (gen_corpus.c). */
#define SFB_FUZZ_AUDIT_KEY  "sf-backup-gate fuzzing key, not a secret"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


#define SFB_FUZZ_CHECK(cond, ...)                                             \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "\ninvariant broken at %s:%d: %s\n  ",            \
                    __FILE__, __LINE__, #cond);                               \
            fprintf(stderr, __VA_ARGS__);                                     \
            fprintf(stderr, "\n");                                            \
            abort();                                                          \
        }                                                                     \
    } while (0)


/* A heap copy of exactly n bytes (malloc(0) under ASan: none readable). */

static inline unsigned char *
sfb_fuzz_dup(const void *p, size_t n)
{
    unsigned char  *d;

    d = malloc(n ? n : 1);
    if (d == NULL) {
        abort();
    }

    if (n) {
        memcpy(d, p, n);
    }

    return d;
}


/* A heap block of exactly n bytes. */

static inline unsigned char *
sfb_fuzz_alloc(size_t n)
{
    unsigned char  *d;

    d = malloc(n ? n : 1);
    if (d == NULL) {
        abort();
    }

    return d;
}


/* 1 when [p, p + n) lies inside [base, base + size) (n 0 anywhere). */

static inline int
sfb_fuzz_within(const unsigned char *p, size_t n, const unsigned char *base,
    size_t size)
{
    if (n == 0) {
        return 1;
    }

    return p != NULL && p >= base && n <= size
           && (size_t) (p - base) <= size - n;
}


static inline int
sfb_fuzz_eq(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}


/* 1 when the first size bytes hold a NUL and everything before it is
 * printable ASCII. */

static inline int
sfb_fuzz_printable(const char *s, size_t size)
{
    size_t  i;

    for (i = 0; i < size; i++) {
        if (s[i] == '\0') {
            return 1;
        }

        if ((unsigned char) s[i] < 0x20 || (unsigned char) s[i] > 0x7e) {
            return 0;
        }
    }

    return 0;
}


/*
 * Cuts data into fields at each sep byte: fields[i] point into data.
 * Returns the number of fields (at least 1, at most max; the last one
 * takes the rest).
 */

static inline size_t
sfb_fuzz_split(const unsigned char *data, size_t size, unsigned char sep,
    sfb_str_t *fields, size_t max)
{
    size_t                n;
    const unsigned char  *p, *end, *s;

    n = 0;
    p = data;
    end = data + size;

    while (n + 1 < max && p < end
           && (s = memchr(p, sep, (size_t) (end - p))) != NULL)
    {
        fields[n].data = p;
        fields[n].len = (size_t) (s - p);
        n++;
        p = s + 1;
    }

    fields[n].data = p;
    fields[n].len = (size_t) (end - p);

    return n + 1;
}


#endif /* SFB_FUZZ_H */
