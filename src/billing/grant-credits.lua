-- Adds credits and records the grant atomically.
-- KEYS: account, ledger. ARGV: amount, now.
-- #include append-ledger.lua
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local balance = redis.call('HINCRBY', KEYS[1], 'credits', ARGV[1])
appendLedger(KEYS[2], ARGV[2], 'grant', tonumber(ARGV[1]), balance, nil)
return balance
