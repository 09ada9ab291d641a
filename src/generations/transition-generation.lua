-- Compare-and-set of a generation's status (the lifecycle's named transitions all run here), settling credits
-- in the same step when it ends. Settlement runs once per generation (guarded by the `settled` field) however
-- often a job runs: 'refund' returns everything reserved; 'charge' keeps min(final cost, reserved), returns the
-- rest and adds the kept credits to the day's usage (by type and provider, and by model); 'cancel' refunds unless the provider had the work already
-- (an operation is recorded), judged in the same step so a submit racing the cancel cannot slip between.
-- Ending a generation also frees its concurrency slot.
-- KEYS: generation, account, ledger, running slots, waiting list, usage of the day, the route's upstream slots and
--       waiting list (released when the generation ends or falls back to another route).
-- ARGV: allowed from-statuses (comma list), to-status ('' keeps the current one),
--       operation guard ('any', 'none': no upstream operation recorded, 'some': one is recorded),
--       settlement, final cost, now, the account's event channel and the event announcing the new state
--       (published only when the transition is made; a refund publishes the id alone), ...fields.
-- 'topUp' (a fallback to a dearer route) reserves the final cost's amount more, atomically, before anything changes.
-- Returns 1 when the transition was made, 0 when the generation's status or operation did not allow it, -1 when it is
-- missing, 2 when a top-up found too few credits (nothing changed).
-- #include ../billing/append-ledger.lua
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
local allowed = false
for from in string.gmatch(ARGV[1], '[^,]+') do
  if from == status then allowed = true end
end
if not allowed then return 0 end
local operation = redis.call('HGET', KEYS[1], 'operation')
local hasOperation = operation and operation ~= '' and operation ~= 'null'
if (ARGV[3] == 'none' and hasOperation) or (ARGV[3] == 'some' and not hasOperation) then return 0 end
local live = redis.call('HGET', KEYS[1], 'mode') == 'live'
if ARGV[4] == 'topUp' and live and tonumber(ARGV[5]) > 0 then
  local extra = tonumber(ARGV[5])
  if tonumber(redis.call('HGET', KEYS[2], 'credits') or '0') < extra then return 2 end
  local balance = redis.call('HINCRBY', KEYS[2], 'credits', -extra)
  redis.call('HINCRBY', KEYS[1], 'creditsReserved', extra)
  appendLedger(KEYS[3], ARGV[6], 'reserve', -extra, balance, redis.call('HGET', KEYS[1], 'id'))
end
local event = ARGV[8]
local target = ARGV[2] ~= '' and ARGV[2] or status
redis.call('HSET', KEYS[1], 'status', target)
if #ARGV >= 9 then redis.call('HSET', KEYS[1], unpack(ARGV, 9)) end
local id = redis.call('HGET', KEYS[1], 'id')
if target ~= 'QUEUED' and target ~= 'PROCESSING' then
  redis.call('ZREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], id)
end
if (target ~= 'QUEUED' and target ~= 'PROCESSING') or ARGV[4] == 'topUp' then
  redis.call('ZREM', KEYS[7], id)
  redis.call('ZREM', KEYS[8], id)
end
local settlement = ARGV[4]
if settlement == 'cancel' then
  settlement = hasOperation and 'charge' or 'refund'
end
if settlement ~= 'none' and settlement ~= 'topUp' and redis.call('HSETNX', KEYS[1], 'settled', ARGV[6]) == 1 then
  local reserved = tonumber(redis.call('HGET', KEYS[1], 'creditsReserved') or '0')
  local kept = 0
  if settlement == 'charge' then
    kept = math.min(tonumber(ARGV[5]), reserved)
    if live then
      redis.call('HSET', KEYS[1], 'creditCost', kept)
      local line = redis.call('HGET', KEYS[1], 'type') .. '|' .. redis.call('HGET', KEYS[1], 'provider')
      redis.call('HINCRBY', KEYS[6], 'credits|' .. line, kept)
      redis.call('HINCRBY', KEYS[6], 'count|' .. line, 1)
      local model = redis.call('HGET', KEYS[1], 'model')
      redis.call('HINCRBY', KEYS[6], 'model|' .. ((model and model ~= '') and model or 'unknown'), kept)
      redis.call('EXPIRE', KEYS[6], USAGE_RETENTION_SECONDS)
    end
  end
  local returned = reserved - kept
  if returned > 0 and redis.call('EXISTS', KEYS[2]) == 1 then
    local balance = redis.call('HINCRBY', KEYS[2], 'credits', returned)
    appendLedger(KEYS[3], ARGV[6], settlement == 'charge' and 'settle' or 'refund', returned, balance, id)
  end
  if settlement == 'refund' then
    -- Refunded, it cost nothing: every view and webhook reads creditCost 0. The caller's copy in the event still has
    -- the quote, so the event carries the id alone and listeners read the record.
    redis.call('HSET', KEYS[1], 'creditCost', 0)
    event = cjson.encode({ id = id })
  end
end
redis.call('PUBLISH', ARGV[7], event)
return 1
