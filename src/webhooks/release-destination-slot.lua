-- Gives back a delivery's slot and answers the deliveries first in line, as many as there are free slots, to wake.
-- KEYS: running (job id -> lease end), waiting (job id -> when it first waited).
-- ARGV: job id, limit, now.
local running, waiting = KEYS[1], KEYS[2]
local id, limit, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREM', running, id)
redis.call('ZREMRANGEBYSCORE', running, '-inf', now)
local free = limit - redis.call('ZCARD', running)
if free <= 0 then return {} end
return redis.call('ZRANGE', waiting, 0, free - 1)
