-- The EnableBackup gate written the way an OpenResty user would write it,
-- for scripts/bench's "lua" variant (Debian's libnginx-mod-http-lua and
-- lua-cjson): access_by_lua reads the body and decides, log_by_lua writes
-- one JSON audit line.  Same rules and answers as sf_backup_gate with the
-- demo's settings; see src/core/sfb_gate.c for the reference.
--
-- Written to be as fast as Lua allows: everything that does not depend on
-- the request is built here, once per worker (patterns compiled and cached
-- by PCRE JIT through the "jo" options, allow-list and canonical bodies in
-- tables, the FabricError and audit tables reused); no closures per request;
-- audit lines go through a fully buffered file handle.
--
-- Known gaps, none of which the benchmark's requests touch: duplicate JSON
-- members (cjson keeps the last, the gate refuses them), a repeated
-- Content-Type header, and the Unicode look-alikes of the path's names
-- (the gate refuses them as path_invalid).

local ngx = ngx
local cjson = require "cjson.safe"

local byte, find, sub, gsub, lower = string.byte, string.find, string.sub,
                                     string.gsub, string.lower
local re_find, re_match = ngx.re.find, ngx.re.match
local req_read_body, req_get_body_data = ngx.req.read_body,
                                         ngx.req.get_body_data
local req_get_body_file, req_get_method = ngx.req.get_body_file,
                                          ngx.req.get_method
local escape_uri, unescape_uri = ngx.escape_uri, ngx.unescape_uri
local tonumber, pairs, type, floor = tonumber, pairs, type, math.floor

local M = {}


-- the demo's rules
local MAX_BODY = 8192
local TIMEOUT_MIN, TIMEOUT_MAX = 1, 4294967295
local API_VERSIONS = { ["6.2-preview"] = true }
local API_VERSIONS_TEXT = "6.2-preview"
local ALLOWED = { "DailyAzureBackupPolicy", "HourlyBackupPolicy" }

-- the canonical body of each allowed policy never changes
local CANONICAL_BODY = {}
for _, name in pairs(ALLOWED) do
    CANONICAL_BODY[name] = cjson.encode({ BackupPolicyName = name })
end

local ENTITY = {            -- lower-cased segment -> canonical, entity
    partitions   = { "Partitions", "partition" },
    services     = { "Services", "service" },
    applications = { "Applications", "application" },
}

-- reason -> status, FabricError Code (as src/core/sfb_reason.c)
local REASON = {
    method_not_allowed       = { 405, "E_INVALIDARG" },
    path_invalid             = { 400, "E_INVALIDARG" },
    partition_id_invalid     = { 400, "E_INVALIDARG" },
    entity_name_invalid      = { 400, "FABRIC_E_INVALID_NAME_URI" },
    query_malformed          = { 400, "E_INVALIDARG" },
    query_param_unknown      = { 400, "E_INVALIDARG" },
    api_version_missing      = { 400, "E_INVALIDARG" },
    api_version_repeated     = { 400, "E_INVALIDARG" },
    api_version_unsupported  = { 400, "E_INVALIDARG" },
    timeout_invalid          = { 400, "E_INVALIDARG" },
    timeout_repeated         = { 400, "E_INVALIDARG" },
    timeout_out_of_range     = { 400, "E_INVALIDARG" },
    content_type_unsupported = { 415, "E_INVALIDARG" },
    body_missing             = { 400, "E_INVALIDARG" },
    body_too_large           = { 413, "FABRIC_E_VALUE_TOO_LARGE" },
    body_invalid_json        = { 400, "E_INVALIDARG" },
    body_schema              = { 400, "E_INVALIDARG" },
    policy_invalid           = { 400, "E_INVALIDARG" },
    policy_not_allowed       = { 403, "E_ACCESSDENIED" },
    backup_restore_closed    = { 403, "E_ACCESSDENIED" },
}

local MESSAGE = {
    method_not_allowed = "Only POST is allowed on EnableBackup.",
    path_invalid = "The path is not a valid EnableBackup path; use "
        .. "/Partitions/{partitionId}/$/EnableBackup, "
        .. "/Services/{serviceId}/$/EnableBackup or "
        .. "/Applications/{applicationId}/$/EnableBackup.",
    partition_id_invalid = "The partition id must be a UUID such as "
        .. "1daae3f5-7fd6-42e9-b1ba-8c05f873994d.",
    entity_name_invalid = "The entity id must be its name without "
        .. "'fabric:', segments joined with '~', each made of letters, "
        .. "digits, '.', '_' or '-' and not ending in '.', at most 1024 "
        .. "bytes.",
    query_malformed = "The query string is malformed.",
    query_param_unknown = "A query parameter is not allowed on EnableBackup.",
    api_version_missing = "The api-version query parameter is required; "
        .. "supported versions: " .. API_VERSIONS_TEXT .. ".",
    api_version_repeated = "The api-version query parameter must be given "
        .. "once.",
    api_version_unsupported = "This api-version is not supported; "
        .. "supported versions: " .. API_VERSIONS_TEXT .. ".",
    timeout_invalid = "timeout must be an integer between 1 and 4294967295.",
    timeout_repeated = "The timeout query parameter may be given at most "
        .. "once.",
    content_type_unsupported = "Content-Type must be application/json, "
        .. "optionally with charset=utf-8.",
    body_missing = 'A request body {"BackupPolicyName": "<name>"} is '
        .. "required.",
    body_too_large = "The request body is larger than " .. MAX_BODY
        .. " bytes.",
    policy_invalid = "BackupPolicyName must not be empty.",
    backup_restore_closed = "The BackupRestore API is not available "
        .. "through this gateway.",
}
MESSAGE.timeout_out_of_range = MESSAGE.timeout_invalid

local RE_BACKUP_RESTORE = [[^/backuprestore(?:/|$)]]
local RE_GOVERNED =
    [[^/(partitions|services|applications)(?:/(.*))?/\$/enablebackup/?$]]
local RE_UUID = [[^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-]]
    .. [[[0-9a-f]{12}$]]
local RE_NAME = [[^[A-Za-z0-9._-]*[A-Za-z0-9_-](?:[/~][A-Za-z0-9._-]*]]
    .. [[[A-Za-z0-9_-])*$]]
local RE_QUERY = [[^[^&=]*=[^&]*(?:&[^&=]*=[^&]*)*$]]
local RE_BAD_ESCAPE = [[%(?![0-9A-Fa-f]{2})|%00]]
local RE_DIGITS = [[^[0-9]{1,20}$]]
local RE_CONTENT_TYPE = [[^[ \t]*application/json[ \t]*(?:;[ \t]*charset]]
    .. [[[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$]]

-- reused, never shared across a yield: filled and encoded in one go
local fabric_error = { Error = { Code = "", Message = "" } }
local audit = {}
local audit_file


local function reject(ctx, reason, message)
    local info = REASON[reason]
    local e = fabric_error.Error

    ctx.reason = reason
    e.Code = info[2]
    e.Message = message or MESSAGE[reason]

    ngx.status = info[1]
    ngx.header["Content-Type"] = "application/json; charset=utf-8"
    ngx.print(cjson.encode(fabric_error))
    return ngx.exit(ngx.HTTP_OK)
end


-- returns reason, api_version, timeout (as src/core/sfb_query.c's precedence)
local function parse_query(args)
    if args == nil or args == "" then
        return "api_version_missing"
    end

    if not re_find(args, RE_QUERY, "jo")
       or (find(args, "%", 1, true) and re_find(args, RE_BAD_ESCAPE, "jo"))
    then
        return "query_malformed"
    end

    local api, timeout, n_api, n_timeout = nil, nil, 0, 0
    local pos = 1

    while true do
        local amp = find(args, "&", pos, true)
        local eq = find(args, "=", pos, true)
        local name = sub(args, pos, eq - 1)
        local value = sub(args, eq + 1, amp and amp - 1 or nil)

        if name == "api-version" then
            n_api = n_api + 1
            api = api or value
        elseif name == "timeout" then
            n_timeout = n_timeout + 1
            timeout = timeout or value
        else
            return "query_param_unknown"
        end

        if not amp then
            break
        end
        pos = amp + 1
    end

    if n_api > 1 then
        return "api_version_repeated"
    end
    if n_timeout > 1 then
        return "timeout_repeated"
    end
    if api == nil or api == "" then
        return "api_version_missing"
    end

    if find(api, "%", 1, true) then
        api = unescape_uri(api)
    end
    if not API_VERSIONS[api] then
        return "api_version_unsupported"
    end

    if timeout == nil then
        return nil, api
    end

    if find(timeout, "%", 1, true) then
        timeout = unescape_uri(timeout)
    end
    if not re_find(timeout, RE_DIGITS, "jo") then
        return "timeout_invalid"
    end

    local t = tonumber(timeout)
    if t < TIMEOUT_MIN or t > TIMEOUT_MAX then
        return "timeout_out_of_range"
    end

    return nil, api, t
end


function M.access()
    local uri = ngx.var.uri

    if re_find(uri, RE_BACKUP_RESTORE, "ijo") then
        return reject(ngx.ctx, "backup_restore_closed")
    end

    local m = re_match(uri, RE_GOVERNED, "ijo")
    if m == nil then
        return                      -- not ours: forwarded untouched
    end

    local ctx = ngx.ctx
    local entity = ENTITY[lower(m[1])]
    ctx.entity = entity[2]

    if req_get_method() ~= "POST" then
        return reject(ctx, "method_not_allowed")
    end

    -- names match in any ASCII case (forwarded canonical); a backslash is
    -- ours to refuse, not the cluster's to reinterpret
    if find(uri, "\\", 1, true) then
        return reject(ctx, "path_invalid")
    end

    local id = m[2]
    if entity[2] == "partition" then
        if id == nil or not re_find(id, RE_UUID, "ijo") then
            return reject(ctx, "partition_id_invalid")
        end
        id = lower(id)
    else
        if id == nil or #id > 1024 or not re_find(id, RE_NAME, "jo") then
            return reject(ctx, "entity_name_invalid")
        end
        if find(id, "/", 1, true) then
            id = gsub(id, "/", "~")
        end
    end
    ctx.entity_id = id

    local reason, api, timeout = parse_query(ngx.var.args)
    if reason then
        return reject(ctx, reason)
    end
    ctx.api_version = api
    ctx.timeout = timeout

    local ct = ngx.var.http_content_type
    if ct == nil or not re_find(ct, RE_CONTENT_TYPE, "ijo") then
        return reject(ctx, "content_type_unsupported")
    end

    local declared = tonumber(ngx.var.http_content_length)
    if declared and declared > MAX_BODY then
        return reject(ctx, "body_too_large")
    end

    req_read_body()
    local body = req_get_body_data()

    if body == nil then
        if req_get_body_file() then
            return reject(ctx, "body_too_large")
        end
        return reject(ctx, "body_missing")
    end
    if #body > MAX_BODY then
        return reject(ctx, "body_too_large")
    end

    local json, err = cjson.decode(body)
    if json == nil then
        return reject(ctx, "body_invalid_json", "Invalid JSON body: " .. err
                                                .. ".")
    end

    -- cjson decodes arrays into tables too: the text must be an object
    if type(json) ~= "table" or not find(body, "^%s*{") then
        return reject(ctx, "body_schema", "Invalid request body: the body "
                                          .. "must be a JSON object.")
    end

    for k in pairs(json) do
        if k ~= "BackupPolicyName" then
            return reject(ctx, "body_schema", "Invalid request body: only "
                                              .. "'BackupPolicyName' is "
                                              .. "allowed.")
        end
    end

    local policy = json.BackupPolicyName
    if type(policy) ~= "string" then
        return reject(ctx, "body_schema", "Invalid request body: member "
                                          .. "'BackupPolicyName' must be a "
                                          .. "string.")
    end
    if policy == "" then
        return reject(ctx, "policy_invalid")
    end
    ctx.policy = policy

    local canonical = CANONICAL_BODY[policy]
    if canonical == nil then
        return reject(ctx, "policy_not_allowed", "Backup policy '" .. policy
                                                 .. "' is not allowed for "
                                                 .. "this caller.")
    end

    -- forward exactly what was validated
    ctx.reason = "allowed"
    ngx.req.set_uri("/" .. entity[1] .. "/" .. id .. "/$/EnableBackup")
    if timeout then
        ngx.req.set_uri_args("api-version=" .. escape_uri(api) .. "&timeout="
                             .. timeout)
    else
        ngx.req.set_uri_args("api-version=" .. escape_uri(api))
    end
    ngx.req.set_body_data(canonical)
end


function M.log()
    local ctx = ngx.ctx
    local reason = ctx.reason

    if reason == nil or audit_file == nil then
        return
    end

    local var = ngx.var
    local a = audit
    local null = cjson.null

    a.time = ngx.utctime()
    a.request_id = var.request_id
    a.client = var.remote_addr
    a.method = var.request_method
    a.uri = var.request_uri
    a.entity = ctx.entity
    a.entity_id = ctx.entity_id or null
    a.policy = ctx.policy or null
    a.api_version = ctx.api_version or null
    a.timeout = ctx.timeout or null
    a.decision = reason == "allowed" and "allow" or "deny"
    a.reason = reason
    a.status = ngx.status
    a.upstream_status = var.upstream_status or null
    a.upstream_addr = var.upstream_addr or null
    a.duration_ms = floor((ngx.now() - ngx.req.start_time()) * 1000 + 0.5)
    a.phase = "outcome"

    audit_file:write(cjson.encode(a), "\n")
end


function M.open_audit(path)
    audit_file = assert(io.open(path, "a"))
    audit_file:setvbuf("full", 65536)
end


function M.close_audit()
    if audit_file then
        audit_file:close()
        audit_file = nil
    end
end


return M
