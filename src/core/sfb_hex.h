/*
 * sf-backup-gate: hexadecimal, the one place it is written and read
 * (sfb_hex.c): ids, keys and MACs in lower case, percent-encoding in upper
 * case, as RFC 3986 recommends.
 */

#ifndef SFB_HEX_H
#define SFB_HEX_H

#include <stddef.h>


/* The value of a hex digit of either case, or -1: inline, it runs once per
 * byte of a path or a query. */
static inline int
sfb_hex(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }

    c |= 0x20;

    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }

    return -1;
}


/* n bytes as 2n lowercase digits into out, no NUL; returns out + 2n. */
char *sfb_hex_encode(char *out, const unsigned char *p, size_t n);

/* The same, NUL-terminated (out holds 2n + 1); returns out. */
char *sfb_hex_string(char *out, const unsigned char *p, size_t n);

/* "%XX" of a byte, upper case, into out (3 bytes); returns out + 3. */
unsigned char *sfb_hex_percent(unsigned char *out, unsigned char c);

/* Exactly len lowercase digits (len even) into len / 2 bytes of out; NULL
 * out: only checked.  0, or -1 on any other byte: what this project
 * writes in lower case is read only in lower case. */
int sfb_hex_decode(const unsigned char *in, size_t len, unsigned char *out);


#endif /* SFB_HEX_H */
