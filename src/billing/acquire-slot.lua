-- Takes a running slot for a generation, first come first served: when the account is at its limit, the
-- generation joins the waiting list (by creation time) and only the oldest waiters get freed slots. A
-- generation that already holds a slot just renews its lease. The lease's end is also written on the
-- generation (slotLeaseUntil), so the worker, which reads the generation anyway, renews only when it is due.
-- KEYS: running slots (id -> lease expiry), waiting (id -> createdAt), generation.
-- ARGV: id, limit, now, lease, createdAt, the generation's field for the lease's end (slotLeaseUntil, routeLeaseUntil).
local id, limit, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local leaseUntil = now + tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], id) then
  redis.call('ZADD', KEYS[2], 'NX', ARGV[5], id)
  local free = limit - redis.call('ZCARD', KEYS[1])
  if free <= 0 or redis.call('ZRANK', KEYS[2], id) >= free then return 0 end
  redis.call('ZREM', KEYS[2], id)
end
redis.call('ZADD', KEYS[1], leaseUntil, id)
redis.call('HSET', KEYS[3], ARGV[6], leaseUntil)
return 1
