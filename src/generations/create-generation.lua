-- Creates a generation in one atomic step: checks the per-minute and per-day limits and the credit balance,
-- then records the call, debits the credits and stores the record. Nothing is counted or charged unless all
-- of it succeeds, and concurrent requests can never overspend.
-- KEYS: account, generation, account's generation index, ledger, minute window, day counter.
-- ARGV: id, now, credits to reserve, per-minute limit, per-day limit (0: none), day counter TTL (s),
--       the account's event channel and the event announcing the generation, ...fields.
-- Returns {outcome, balance, used this minute, oldest call in the window}.
-- #include ../billing/append-ledger.lua
if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_ACCOUNT', 0, 0, 0} end
local now = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - MINUTE_WINDOW_MS)
local usedMinute = redis.call('ZCARD', KEYS[5])
local oldest = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')[2] or now
if usedMinute >= tonumber(ARGV[4]) then return {'RATE_LIMIT_MINUTE', 0, usedMinute, oldest} end
local perDay = tonumber(ARGV[5])
if perDay > 0 and tonumber(redis.call('GET', KEYS[6]) or '0') >= perDay then return {'RATE_LIMIT_DAY', 0, usedMinute, oldest} end
local reserve = tonumber(ARGV[3])
local balance = tonumber(redis.call('HGET', KEYS[1], 'credits') or '0')
if reserve > 0 then
  if balance < reserve then return {'INSUFFICIENT_CREDITS', balance, usedMinute, oldest} end
  balance = redis.call('HINCRBY', KEYS[1], 'credits', -reserve)
  appendLedger(KEYS[4], ARGV[2], 'reserve', -reserve, balance, ARGV[1])
end
redis.call('ZADD', KEYS[5], now, ARGV[1])
redis.call('PEXPIRE', KEYS[5], MINUTE_WINDOW_MS)
redis.call('INCR', KEYS[6])
redis.call('EXPIRE', KEYS[6], ARGV[6])
redis.call('HSET', KEYS[2], unpack(ARGV, 9))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('PUBLISH', ARGV[7], ARGV[8])
return {'OK', balance, usedMinute + 1, oldest}
