-- Takes one of a webhook receiver origin's slots for a delivery, or puts the delivery in that origin's line to be
-- woken when a slot frees. A slot is a lease: a worker that dies mid-delivery cannot keep it past the lease's end.
-- KEYS: running (job id -> lease end), waiting (job id -> when it first waited).
-- ARGV: job id, limit, now, lease.
-- Returns -1 when the delivery got a slot, else how long (ms) it has been in line.
local running, waiting = KEYS[1], KEYS[2]
local id, limit, now, lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', running, '-inf', now)
if redis.call('ZSCORE', running, id) or redis.call('ZCARD', running) < limit then
  redis.call('ZADD', running, now + lease, id)
  redis.call('PEXPIRE', running, lease)
  redis.call('ZREM', waiting, id)
  return -1
end
redis.call('ZADD', waiting, 'NX', now, id)
-- Every waiter checks again within one lease and renews this, so a line nobody waits in any more is gone soon after.
redis.call('PEXPIRE', waiting, lease * 2)
return now - tonumber(redis.call('ZSCORE', waiting, id))
