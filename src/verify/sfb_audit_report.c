/*
 * sf-backup-gate: what the verifier says: the first problem in input order
 * (one tampering, one message, not a cascade), notes that are not
 * problems, and the summary.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sfb_audit_check_impl.h"




static const char  *sfb_check_names[] = {
    "ok",
    "modified record",
    "forged record",
    "deleted record",
    "reordered records",
    "truncated",
    "chain cut",
    "unknown key",
    "replayed record",
    "resealed record",
    "retired key"
};



const sfb_audit_problem_t *
sfb_audit_check_problem(const sfb_audit_check_t *ck)
{
    return ck->has_problem ? &ck->problem : NULL;
}


const char *
sfb_audit_problem_name(sfb_audit_problem_e kind)
{
    if ((unsigned) kind >= sizeof(sfb_check_names) / sizeof(char *)) {
        return "unknown";
    }

    return sfb_check_names[kind];
}


int
sfb_audit_check_summary(const sfb_audit_check_t *ck, char *out, size_t size)
{
    uint64_t  dups;

    dups = sfb_audit_dup_count(ck->dup);

    if (dups == 0) {
        return snprintf(out, size, "OK: %zu file%s, %zu chain%s, %zu "
                        "record%s verified",
                        ck->nfiles, ck->nfiles == 1 ? "" : "s",
                        ck->nchains, ck->nchains == 1 ? "" : "s",
                        ck->valid, ck->valid == 1 ? "" : "s");
    }

    return snprintf(out, size, "OK: %zu file%s, %zu chain%s, %zu record%s "
                    "verified, %llu duplicate%s (byte-identical copies, "
                    "not counted)",
                    ck->nfiles, ck->nfiles == 1 ? "" : "s",
                    ck->nchains, ck->nchains == 1 ? "" : "s",
                    ck->valid, ck->valid == 1 ? "" : "s",
                    (unsigned long long) dups, dups == 1 ? "" : "s");
}


uint64_t
sfb_audit_check_duplicates(const sfb_audit_check_t *ck)
{
    return sfb_audit_dup_count(ck->dup);
}


const char *
sfb_audit_check_note(const sfb_audit_check_t *ck, size_t i)
{
    return i < ck->nnotes ? ck->notes[i] : NULL;
}


/* keep the problem that comes first in input order; at, or file and line */

void
sfb_check_offer(sfb_audit_check_t *ck, sfb_audit_problem_e kind,
    const sfb_check_rec_t *at, uint32_t file, uint64_t line,
    const char *fmt, ...)
{
    va_list  args;

    if (at != NULL) {
        file = at->file;
        line = at->line;
    }

    if (ck->has_problem
        && (file > ck->problem_file
            || (file == ck->problem_file && line >= ck->problem.line)))
    {
        return;
    }

    ck->has_problem = 1;
    ck->problem_file = file;
    ck->problem.kind = kind;
    ck->problem.file = ck->files[file];
    ck->problem.line = line;

    va_start(args, fmt);
    vsnprintf(ck->problem.detail, sizeof(ck->problem.detail), fmt, args);
    va_end(args);
}


int
sfb_check_note(sfb_audit_check_t *ck, const char *fmt, ...)
{
    int       n;
    char     *note, **notes;
    va_list   args;

    va_start(args, fmt);
    n = vsnprintf(NULL, 0, fmt, args);
    va_end(args);

    if (n < 0) {
        return -1;
    }

    note = malloc((size_t) n + 1);
    if (note == NULL) {
        return -1;
    }

    va_start(args, fmt);
    vsnprintf(note, (size_t) n + 1, fmt, args);
    va_end(args);

    notes = realloc(ck->notes, (ck->nnotes + 1) * sizeof(char *));
    if (notes == NULL) {
        free(note);
        return -1;
    }

    notes[ck->nnotes++] = note;
    ck->notes = notes;

    return 0;
}


const char *
sfb_check_hexid(const unsigned char *id, char *buf)
{
    return sfb_hex_string(buf, id, SFB_AUDIT_CHAIN_ID_LEN);
}


const char *
sfb_check_hexkey(const unsigned char *id, char *buf)
{
    return sfb_hex_string(buf, id, SFB_AUDIT_KEY_ID_HEX / 2);
}


