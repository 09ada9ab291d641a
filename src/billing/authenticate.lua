-- One round trip per request: the key's hash names the account; the same script reads the plan, any
-- per-account limits and the current per-minute window. The account's key names come from redis-keys.ts
-- as templates in which ACCOUNT_ID stands for the id found here.
-- KEYS: api key. ARGV: account key template, minute window key template, placeholder, now.
-- Returns false, 0 (the account is disabled) or {accountId, plan, perMinute, concurrent, perDay, usedThisMinute, oldestInWindow}.
local accountId = redis.call('GET', KEYS[1])
if not accountId then return false end
local function keyFor(template) return (string.gsub(template, ARGV[3], accountId)) end
local account = keyFor(ARGV[1])
local fields = redis.call('HMGET', account, 'plan', 'limitPerMinute', 'limitConcurrent', 'limitPerDay', 'disabled')
if not fields[1] then return false end
if fields[5] == '1' then return 0 end
local window = keyFor(ARGV[2])
local since = tonumber(ARGV[4]) - MINUTE_WINDOW_MS
local used = redis.call('ZCOUNT', window, '(' .. since, '+inf')
local oldest = redis.call('ZRANGEBYSCORE', window, '(' .. since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
return {accountId, fields[1], fields[2] or '', fields[3] or '', fields[4] or '', used, oldest[2] or ''}
