/*
 * sf-backup-gate: a record's time, RFC 3339 UTC with milliseconds, made by
 * arithmetic (no gmtime_r(), no lock, no locale): the writer's "time", and
 * the verifier's when it names one.
 */

#include "sfb_audit_time.h"


size_t
sfb_audit_time(int64_t ms, char *out)
{
    int64_t  secs, days, rem, z, era, doe, yoe, y, doy, mp, d, m, frac;

    if (ms < 0) {
        ms = 0;

    } else if (ms > SFB_AUDIT_TIME_MS_MAX) {
        ms = SFB_AUDIT_TIME_MS_MAX;
    }

    secs = ms / 1000;
    frac = ms % 1000;
    days = secs / 86400;
    rem = secs % 86400;

    /* days since 1970-01-01 to a civil date (proleptic Gregorian) */

    z = days + 719468;
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = yoe + era * 400 + (m <= 2);

    out[0] = (char) ('0' + y / 1000);
    out[1] = (char) ('0' + y / 100 % 10);
    out[2] = (char) ('0' + y / 10 % 10);
    out[3] = (char) ('0' + y % 10);
    out[4] = '-';
    out[5] = (char) ('0' + m / 10);
    out[6] = (char) ('0' + m % 10);
    out[7] = '-';
    out[8] = (char) ('0' + d / 10);
    out[9] = (char) ('0' + d % 10);
    out[10] = 'T';
    out[11] = (char) ('0' + rem / 36000);
    out[12] = (char) ('0' + rem / 3600 % 10);
    out[13] = ':';
    out[14] = (char) ('0' + rem % 3600 / 600);
    out[15] = (char) ('0' + rem % 3600 / 60 % 10);
    out[16] = ':';
    out[17] = (char) ('0' + rem % 60 / 10);
    out[18] = (char) ('0' + rem % 10);
    out[19] = '.';
    out[20] = (char) ('0' + frac / 100);
    out[21] = (char) ('0' + frac / 10 % 10);
    out[22] = (char) ('0' + frac % 10);
    out[23] = 'Z';

    return SFB_AUDIT_TIME_LEN;
}
