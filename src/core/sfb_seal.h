/*
 * sf-backup-gate: forward-secure sealing of the audit log (Bellare and
 * Yee's forward-secure MAC, in the spirit of journald's FSS).
 *
 * Time from the setup (start, Unix seconds) is cut into epochs of interval
 * seconds.  k_0 is 32 random bytes; each epoch's key is derived one way
 * from the one before it, and a record of epoch n is sealed (HMAC-SHA256)
 * with a key derived from k_n:
 *
 *   k_{n+1}  = HMAC-SHA256(k_n, "sf-backup-gate seal evolve v1")
 *   mac_n    = HMAC-SHA256(k_n, "sf-backup-gate seal mac v1")
 *
 * A gateway keeps only the current k_n (the state file); the operator keeps
 * the verification key (k_0, start, interval) elsewhere and derives every
 * epoch's key forward from it.  Whoever holds k_n can seal records of epoch
 * n and later, never of an earlier one.  key_id names the verification key
 * (sfb_audit_key_id() of k_0) in every record, as it names a plain key.
 *
 * The state file (text, mode 0600), v2: a header written once, when the
 * file is made, then two slots of one line each at fixed offsets, every
 * number zero-padded to 20 digits, hex in lowercase:
 *
 *   sf-backup-gate seal state v2
 *   key_id <16 hex>
 *   start <Unix seconds>
 *   interval <seconds>
 *   seq <n> epoch <n> key <64 hex: k_epoch> sum <64 hex>
 *   seq <n> epoch <n> key <64 hex: k_epoch> sum <64 hex>
 *
 * sum is SHA-256 of the header's bytes and of the slot's up to " sum ": a
 * slot torn by a crash, or moved under another file's header, fails it.
 * The valid slot of the higher seq is the current state.  An update is
 * written in place, into the slot that is not current with the next seq,
 * then into the other one too: a crash between the two leaves the newer
 * state readable, and the older key is gone from the file after the next
 * update or open.  No temporary file, no rename: the file's owner and
 * directory never change, and one descriptor opened once is enough.
 *
 * v1, what older versions wrote, is still read (and sfb_seal_state_open()
 * rewrites it as v2):
 *
 *   sf-backup-gate seal state v1
 *   key_id <16 hex>
 *   start <Unix seconds>
 *   interval <seconds>
 *   epoch <n>
 *   key <64 hex: k_n>
 *
 * The verification key, one line:
 *
 *   sfb-seal-v1-<key_id>-<64 hex: k_0>-<start>-<interval>
 */

#ifndef SFB_SEAL_H
#define SFB_SEAL_H

#include "sfb_audit.h"


#define SFB_SEAL_KEY_LEN          32
#define SFB_SEAL_INTERVAL_MIN     1           /* s: short ones for tests */
#define SFB_SEAL_INTERVAL_MAX     (366 * 86400)
#define SFB_SEAL_INTERVAL         900         /* 15 min, the default */
#define SFB_SEAL_TEXT_MAX         512         /* a state file, a vkey */

/* the v2 state file's layout: slot i at HEAD + i * SLOT */
#define SFB_SEAL_STATE_HEAD       110
#define SFB_SEAL_STATE_SLOT       190
#define SFB_SEAL_STATE_LEN        490         /* HEAD + 2 * SLOT */

/* how far a verifier derives keys: ~30 years of 15-minute epochs */
#define SFB_SEAL_EPOCH_MAX        (UINT64_C(1) << 20)


typedef struct sfb_seal_s {
    int64_t        start;                   /* Unix seconds */
    int64_t        interval;                /* seconds */
    uint64_t       epoch;                   /* of key */
    unsigned char  key[SFB_SEAL_KEY_LEN];   /* k_epoch (k_0 in a vkey) */
    char           key_id[SFB_AUDIT_KEY_ID_HEX + 1];
} sfb_seal_t;


/* A new sealing state at epoch 0: k_0 from RAND_bytes(); 0 or -1. */
int sfb_seal_setup(sfb_seal_t *s, int64_t now, int64_t interval);

/* The epoch of a time in ms: -1 before start. */
int64_t sfb_seal_epoch_at(const sfb_seal_t *s, int64_t time_ms);

/* k_epoch from the key s holds, one way; the older keys are erased.
 * 1 advanced, 0 already there (or later: never back), -1 OpenSSL failed. */
int sfb_seal_advance(sfb_seal_t *s, uint64_t epoch);

/* The key that seals the records of s's epoch; 0 or -1. */
int sfb_seal_mac_key(const sfb_seal_t *s, unsigned char *out);

/* The chain's key becomes that of s's epoch (records then carry "epoch").
 * A chain created here seals from the start; 0 or -1. */
sfb_audit_chain_t *sfb_seal_chain_create(const sfb_seal_t *s);
int sfb_seal_chain_rekey(const sfb_seal_t *s, sfb_audit_chain_t *c);

/* Before a record made at time_ms: move s and the chain to its epoch.
 * 1 when they moved (the state file is then behind), 0, -1. */
int sfb_seal_tick(sfb_seal_t *s, sfb_audit_chain_t *c, int64_t time_ms);

/* A v2 state file's text, both slots holding s as update seq, and the
 * verification key's; NUL-terminated, the length, or 0 if size is short. */
size_t sfb_seal_state_text(const sfb_seal_t *s, uint64_t seq, char *out,
    size_t size);
size_t sfb_seal_vkey_text(const sfb_seal_t *s, char *out, size_t size);

/* Parse a state file's text, v2 or v1, and a verification key; 0, or -1
 * with a sentence in err.  A state is the current one: of v2, the valid
 * slot of the higher seq (a slot that fails its sum is passed over); seq,
 * if not NULL, is its seq (0 for v1).  A vkey has epoch 0. */
int sfb_seal_state_parse(sfb_seal_t *s, uint64_t *seq,
    const unsigned char *text, size_t len, char *err, size_t errlen);
int sfb_seal_vkey_parse(sfb_seal_t *s, const unsigned char *text,
    size_t len, char *err, size_t errlen);

/* Read and parse a state file (v2 or v1, under a read lock: a gateway may
 * be writing a slot) or a verification key file: a regular file that
 * others cannot read or write (mode & 007); 0 or -1 with err.  Read only,
 * for tools.  Every byte read is erased before returning. */
int sfb_seal_state_load(const char *path, sfb_seal_t *s, char *err,
    size_t errlen);
int sfb_seal_vkey_load(const char *path, sfb_seal_t *s, char *err,
    size_t errlen);

/*
 * The state file through a descriptor.  Each call holds a POSIX record lock
 * (fcntl) on the whole file while it reads or writes: such locks belong to
 * a process, so the workers forked with one descriptor (one open file
 * description, where flock() would not tell them apart) exclude each
 * other.  Closing any descriptor of the file drops a process's locks: none
 * is held between calls.  The errors of those given a descriptor say
 * "seal state file", not which: the caller knows.
 */

/* Make a new state file, v2 with both slots holding s: O_EXCL (never over
 * an existing file) and O_NOFOLLOW, mode 0600, fsync of the file and its
 * directory; 0 or -1 with err (a file half made is removed). */
int sfb_seal_state_create(const char *path, const sfb_seal_t *s, char *err,
    size_t errlen);

/* Make a new verification key file of s, its line as --setup-keys prints
 * it: O_EXCL (never over, nor truncating, an existing file) and
 * O_NOFOLLOW, mode 0600 whatever the umask, fsync of the file and its
 * directory; 0 or -1 with err (a file half made is removed). */
int sfb_seal_vkey_create(const char *path, const sfb_seal_t *s, char *err,
    size_t errlen);

/* Open the state file read-write for as long as the caller keeps *fd (it
 * survives fork(), O_CLOEXEC: not exec()), and read it: a regular file,
 * not a symbolic link, that others cannot read or write.  A v1 file is
 * rewritten as v2 in place; a torn pair of slots is repaired (the older
 * one overwritten by the newer).  0, *fd and s the current state, or -1
 * with err and *fd -1. */
int sfb_seal_state_open(const char *path, int *fd, sfb_seal_t *s,
    char *err, size_t errlen);

/* The current state; 0 or -1 with err. */
int sfb_seal_state_read(int fd, sfb_seal_t *s, char *err, size_t errlen);

/* Write s in place if the file holds an earlier epoch: into the slot that
 * is not current with the next seq, fdatasync, then into the other,
 * fdatasync.  Several processes share the file: it never moves back.  The
 * file's
 * key_id, start and interval must be s's (another setup: -1).  0 written,
 * 1 the file was at s's epoch or later already (a torn pair repaired all
 * the same), -1 with err. */
int sfb_seal_state_write(int fd, const sfb_seal_t *s, char *err,
    size_t errlen);

/* sfb_seal_state_write() unless another process holds the file's lock
 * (updating it, or reading it): 2 then, at once, nothing done.  An event
 * loop's caller, which tries again later rather than wait for another
 * process's two fdatasync()s. */
int sfb_seal_state_try_write(int fd, const sfb_seal_t *s, char *err,
    size_t errlen);

/* The first half of sfb_seal_state_write() alone: the slot that is not
 * current, fdatasync, then return.  The file is left as a crash between
 * the halves leaves it; for tests. */
int sfb_seal_state_write_half(int fd, const sfb_seal_t *s, char *err,
    size_t errlen);

/* Erase s. */
void sfb_seal_clear(sfb_seal_t *s);


#endif /* SFB_SEAL_H */
