-- Adds (or, with a negative amount, takes away) credits and records it atomically; never below zero.
-- KEYS: account, ledger. ARGV: amount, now, and optionally the ledger kind (default grant) and what it is for
-- (a reservation or refund for something other than a generation, such as a realtime session).
-- Returns false (no account), {1, balance} (done) or {0, balance} (refused: it would go negative).
-- #include append-ledger.lua
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local amount = tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[1], 'credits') or '0')
if current + amount < 0 then return {0, current} end
local balance = redis.call('HINCRBY', KEYS[1], 'credits', amount)
appendLedger(KEYS[2], ARGV[2], ARGV[3] or 'grant', amount, balance, ARGV[4])
return {1, balance}
