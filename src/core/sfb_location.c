/*
 * sf-backup-gate: a restore's BackupLocation, read in Service Fabric's
 * layout <application>\<service>\<partition id>\<file> with each segment
 * as Windows would take it, and whether it lies under a service's name.
 * Messages name segment positions, never the value.
 */

#include <string.h>

#include "sfb_storage_impl.h"
#include "sfb_scope.h"
#include "sfb_storage.h"


int
sfb_backup_location(const unsigned char *p, size_t len,
    sfb_backup_location_t *loc, char *why, size_t why_size)
{
    size_t                i, seg, n;
    sfb_str_t             s[4];
    sfb_msg_t             w;
    const char           *rule;
    sfb_fault_t           f;
    const unsigned char  *e, *q;

    memset(loc, 0, sizeof(sfb_backup_location_t));
    sfb_msg_init(&w, why, why_size);
    sfb_fault(&f, "it", 0, NULL);

    if (len == 0) {
        f.rule = "must not be empty";
        goto failed;
    }

    /* rooted, a UNC path (\\server\...) or a device path (\\?\...) */
    if (p[0] == '\\') {
        f.rule = "must be relative: it must not begin with '\\'";
        goto failed;
    }

    if (memchr(p, ':', len) != NULL) {
        f.rule = "must not contain ':' (a drive or a stream)";
        goto failed;
    }

    if (memchr(p, '/', len) != NULL) {
        f.rule = "must separate its segments with '\\' only, not '/'";
        goto failed;
    }

    seg = 0;

    for (i = 0; i <= len; i = (size_t) (e - p) + 1) {
        e = memchr(p + i, '\\', len - i);
        if (e == NULL) {
            e = p + len;
        }

        if (seg < 4) {
            s[seg].data = p + i;
            s[seg].len = (size_t) (e - p) - i;
        }

        seg++;

        if (e == p + len) {
            break;
        }
    }

    if (seg != 4) {
        f.rule = "must have exactly four segments";
        goto failed;
    }

    for (seg = 0; seg < 4; seg++) {
        rule = sfb_segment_rule(s[seg].data, s[seg].len);
        if (rule != NULL) {
            sfb_fault(&f, NULL, seg + 1, rule);
            goto failed;
        }
    }

    q = s[2].data;
    n = s[2].len;

    for (i = 0; n == SFB_UUID_LEN && i < n; i++) {
        if ((i == 8 || i == 13 || i == 18 || i == 23)
            ? q[i] != '-' : sfb_hex(q[i]) < 0)
        {
            break;
        }

        loc->partition[i] = (char) sfb_lower(q[i]);
    }

    if (n != SFB_UUID_LEN || i != n) {
        memset(loc->partition, 0, sizeof(loc->partition));
        sfb_fault(&f, "the partition id", 3, "must be a UUID");
        goto failed;
    }

    loc->partition[SFB_UUID_LEN] = '\0';
    loc->app = s[0];
    loc->service = s[1];
    loc->file = s[3];

    (void) sfb_msg_end(&w);

    return 1;

failed:

    sfb_msg_str(&w, "member 'BackupLocation' must be "
                "<application>\\<service>\\<partition id>\\<file>");
    sfb_fault_say(&w, &f);
    (void) sfb_msg_end(&w);

    return 0;
}


int
sfb_backup_location_of(const sfb_backup_location_t *loc,
    const unsigned char *service, size_t len)
{
    return sfb_scope_name_valid(service, len)
           && sfb_backup_location_of_valid(loc, service, len);
}


int
sfb_backup_location_of_valid(const sfb_backup_location_t *loc,
    const unsigned char *service, size_t len)
{
    const unsigned char  *a, *b, *end;

    if (loc->app.len == 0 || loc->service.len == 0) {
        return 0;
    }

    /* after "fabric:/" (any case: sfb_scope_name_valid() read it) */
    a = service + sizeof("fabric:/") - 1;
    end = service + len;

    b = memchr(a, '/', (size_t) (end - a));
    if (b == NULL) {
        return 0;
    }

    if (!sfb_str_eq(a, (size_t) (b - a), loc->app.data, loc->app.len)) {
        return 0;
    }

    a = b + 1;
    b = memchr(a, '/', (size_t) (end - a));
    if (b == NULL) {
        b = end;
    }

    return sfb_str_eq(a, (size_t) (b - a), loc->service.data,
                      loc->service.len);
}
