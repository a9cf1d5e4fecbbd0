/*
 * Fuzz target: Content-Type, sfb_check_content_type() on any bytes.
 *
 * Invariants:
 *  - the answer is NONE or content_type_unsupported, nothing else;
 *  - it agrees with an independent oracle: a POSIX extended regex, case
 *    insensitive, of what the header promises to accept
 *      OWS application/json OWS [; OWS charset OWS = OWS (utf-8|"utf-8") OWS]
 *    (OWS: spaces and tabs), matched in the C locale over the value, which
 *    must then have no NUL (the regex cannot see past one);
 *  - sfb_describe() of the refusal is a printable sentence.
 */

#include <locale.h>
#include <regex.h>

#include "sfb_fuzz_gate.h"


static regex_t  accepted;


int LLVMFuzzerInitialize(int *argc, char ***argv);


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;

    (void) setlocale(LC_ALL, "C");

    if (regcomp(&accepted,
                "^[ \t]*application/json[ \t]*"
                "(;[ \t]*charset[ \t]*=[ \t]*(utf-8|\"utf-8\")[ \t]*)?$",
                REG_EXTENDED | REG_ICASE | REG_NOSUB)
        != 0)
    {
        abort();
    }

    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int              want;
    char            *cstr;
    sfb_rules_t      rules;
    sfb_reason_e     rc;
    unsigned char   *v;
    sfb_decision_t   d;

    v = sfb_fuzz_dup(data, size);
    rc = sfb_check_content_type(v, size);

    SFB_FUZZ_CHECK(rc == SFB_REASON_NONE
                   || rc == SFB_REASON_CONTENT_TYPE_UNSUPPORTED,
                   "check_content_type gave %s", sfb_reason_name(rc));

    cstr = malloc(size + 1);
    if (cstr == NULL) {
        abort();
    }

    if (size) {
        memcpy(cstr, data, size);
    }
    cstr[size] = '\0';

    want = memchr(data, '\0', size) == NULL
           && regexec(&accepted, cstr, 0, NULL, 0) == 0;

    SFB_FUZZ_CHECK(want == (rc == SFB_REASON_NONE),
                   "'%s' (%zu bytes): check_content_type says %s, the "
                   "oracle %s", cstr, size, sfb_reason_name(rc),
                   want ? "accepts" : "refuses");

    if (rc != SFB_REASON_NONE) {
        sfb_rules_init(&rules);
        sfb_decision_init(&d);
        d.kind = SFB_PATH_GOVERNED;
        sfb_fuzz_check_describe(rc, &d, &rules);
    }

    free(cstr);
    free(v);

    return 0;
}
