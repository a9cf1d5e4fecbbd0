/*
 * A minimal TAP producer for the core's unit tests, so that prove runs them
 * beside the Test::Nginx suites and one summary covers everything.
 */

#ifndef SFB_TAP_H
#define SFB_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>


static int  sfb_tap_run;
static int  sfb_tap_failed;


static int
sfb_tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
    va_list  ap;

    sfb_tap_run++;

    printf("%sok %d - ", pass ? "" : "not ", sfb_tap_run);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");

    if (!pass) {
        sfb_tap_failed++;
        printf("#   Failed at %s line %d\n", file, line);
    }

    return pass;
}


#define ok(cond, ...)  sfb_tap_ok((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                                \
    do {                                                                      \
        long long  got_ = (long long) (got), want_ = (long long) (want);      \
        if (!sfb_tap_ok(got_ == want_, __FILE__, __LINE__, __VA_ARGS__)) {    \
            printf("#          got: %lld\n#     expected: %lld\n",            \
                   got_, want_);                                              \
        }                                                                     \
    } while (0)

#define is_mem(got, got_len, want, ...)                                       \
    do {                                                                      \
        size_t  wl_ = strlen(want);                                           \
        int     p_ = ((size_t) (got_len) == wl_                               \
                      && memcmp((got), (want), wl_) == 0);                    \
        if (!sfb_tap_ok(p_, __FILE__, __LINE__, __VA_ARGS__)) {               \
            printf("#          got: '%.*s'\n#     expected: '%s'\n",          \
                   (int) (got_len), (const char *) (got), (want));            \
        }                                                                     \
    } while (0)

#define is_str(got, want, ...)                                                \
    is_mem((got), strlen(got), (want), __VA_ARGS__)


static int
done_testing(void)
{
    printf("1..%d\n", sfb_tap_run);

    return sfb_tap_failed ? 1 : 0;
}


#endif /* SFB_TAP_H */
