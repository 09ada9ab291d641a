-- A route's circuit and recent outcomes, shared by every process. Modes:
--   admit   : may a generation be sent to this route now? 'closed' (yes), 'probe' (yes, as the one trial after the
--             cool-down), 'open' (no).
--   success : a generation completed on the route (ARGV[6]: its latency in ms): the circuit closes.
--   failure : the route failed a generation in a way another route could fix: after THRESHOLD in a row, an error
--             rate of ERROR_RATE or more over the last WINDOW outcomes (once there are MIN_SAMPLES), or any failed
--             probe, the circuit opens.
-- KEYS: health hash, outcomes list (1 success, 0 failure), latencies list.
-- ARGV: mode, now, failure threshold, cool-down ms, window (outcomes kept), latency ms, error rate, minimum samples.
local mode, now = ARGV[1], tonumber(ARGV[2])
local threshold, cooldown, window = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
if mode == 'admit' then
  if state == 'closed' then return 'closed' end
  local since = tonumber(redis.call('HGET', KEYS[1], state == 'open' and 'openedAt' or 'probeAt') or '0')
  -- A half-open route whose probe never reported (its worker died) lets another probe through after a cool-down.
  if now - since < cooldown then return 'open' end
  redis.call('HSET', KEYS[1], 'state', 'half-open', 'probeAt', now)
  return 'probe'
end
if mode == 'success' then
  redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0)
  redis.call('LPUSH', KEYS[2], 1)
  redis.call('LPUSH', KEYS[3], ARGV[6])
  redis.call('LTRIM', KEYS[3], 0, window - 1)
else
  local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
  redis.call('LPUSH', KEYS[2], 0)
  redis.call('LTRIM', KEYS[2], 0, window - 1)
  local outcomes = redis.call('LRANGE', KEYS[2], 0, -1)
  local failed = 0
  for _, outcome in ipairs(outcomes) do
    if outcome == '0' then failed = failed + 1 end
  end
  local rateTripped = #outcomes >= tonumber(ARGV[8]) and failed / #outcomes >= tonumber(ARGV[7])
  if state == 'half-open' or failures >= threshold or rateTripped then
    redis.call('HSET', KEYS[1], 'state', 'open', 'openedAt', now)
  end
end
redis.call('LTRIM', KEYS[2], 0, window - 1)
return redis.call('HGET', KEYS[1], 'state')
