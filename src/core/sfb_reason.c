/*
 * sf-backup-gate: the reason table, one row per sfb_reason_e.
 */

#include "sfb_core.h"


static const sfb_reason_info_t  sfb_reasons[SFB_REASON__COUNT] = {
    { "none",                      500, SFB_E_FAIL },
    { "allowed",                   0,   NULL },
    { "method_not_allowed",        405, SFB_E_INVALIDARG },
    { "path_invalid",              400, SFB_E_INVALIDARG },
    { "partition_id_invalid",      400, SFB_E_INVALIDARG },
    { "entity_name_invalid",       400, SFB_FABRIC_E_INVALID_NAME_URI },
    { "query_malformed",           400, SFB_E_INVALIDARG },
    { "query_param_unknown",       400, SFB_E_INVALIDARG },
    { "api_version_missing",       400, SFB_E_INVALIDARG },
    { "api_version_repeated",      400, SFB_E_INVALIDARG },
    { "api_version_unsupported",   400, SFB_E_INVALIDARG },
    { "timeout_invalid",           400, SFB_E_INVALIDARG },
    { "timeout_repeated",          400, SFB_E_INVALIDARG },
    { "timeout_out_of_range",      400, SFB_E_INVALIDARG },
    { "content_type_unsupported",  415, SFB_E_INVALIDARG },
    { "content_type_repeated",     400, SFB_E_INVALIDARG },
    { "body_missing",              400, SFB_E_INVALIDARG },
    { "body_too_large",            413, SFB_FABRIC_E_VALUE_TOO_LARGE },
    { "body_invalid_json",         400, SFB_E_INVALIDARG },
    { "body_schema",               400, SFB_E_INVALIDARG },
    { "policy_invalid",            400, SFB_E_INVALIDARG },
    { "policy_not_allowed",        403, SFB_E_ACCESSDENIED },
    { "identity_missing",          403, SFB_E_ACCESSDENIED },
    { "backup_restore_closed",     403, SFB_E_ACCESSDENIED },
    { "audit_unavailable",         503, SFB_FABRIC_E_SERVICE_OFFLINE },
    { "internal_error",            500, SFB_E_FAIL },
    { "client_closed",             499, NULL },
    { "client_timeout",            408, NULL },
    { "request_malformed",         400, SFB_E_INVALIDARG },
    { "client_cert_missing",       400, SFB_E_INVALIDARG },
    { "client_cert_rejected",      400, SFB_E_INVALIDARG },
    { "refused_before_gate",       0,   NULL },
    { "query_param_repeated",      400, SFB_E_INVALIDARG },
    { "query_value_invalid",       400, SFB_E_INVALIDARG },
    { "body_not_empty",            400, SFB_E_INVALIDARG },
    { "operation_not_allowed",     403, SFB_E_ACCESSDENIED },
    { "out_of_scope",              403, SFB_E_ACCESSDENIED },
    { "partition_not_found",       404, SFB_FABRIC_E_PARTITION_NOT_FOUND },
    { "scope_unresolved",          503, SFB_FABRIC_E_SERVICE_OFFLINE },
    { "storage_not_allowed",       403, SFB_E_ACCESSDENIED },
    { "policy_not_owned",          403, SFB_E_ACCESSDENIED },
    { "policy_name_mismatch",      400, SFB_E_INVALIDARG },
    { "source_out_of_scope",       403, SFB_E_ACCESSDENIED },
    { "outside_surface",           403, SFB_E_ACCESSDENIED },
    { "internal_location",         403, SFB_E_ACCESSDENIED },
};


const sfb_reason_info_t *
sfb_reason_info(sfb_reason_e reason)
{
    if ((unsigned) reason >= SFB_REASON__COUNT) {
        reason = SFB_REASON_INTERNAL_ERROR;
    }

    return &sfb_reasons[reason];
}


const char *
sfb_reason_name(sfb_reason_e reason)
{
    return sfb_reason_info(reason)->name;
}


const char *
sfb_entity_name(sfb_entity_e entity)
{
    switch (entity) {
    case SFB_ENTITY_PARTITION:
        return "partition";
    case SFB_ENTITY_SERVICE:
        return "service";
    case SFB_ENTITY_APPLICATION:
        return "application";
    case SFB_ENTITY_BACKUP_RESTORE:
        return "backup_restore";
    case SFB_ENTITY_POLICY:
        return "policy";
    default:
        return "";
    }
}
