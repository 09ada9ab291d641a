-- Claims an unused key, or says why not: another request (conflict), still running, or finished (replay).
-- KEYS: record. ARGV: fingerprint, pending TTL (ms).
local record = redis.call('HMGET', KEYS[1], 'fingerprint', 'state', 'status', 'contentType', 'body')
if not record[1] then
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'state', 'pending')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'claimed'}
end
if record[1] ~= ARGV[1] then return {'conflict'} end
if record[2] == 'pending' then return {'in_progress'} end
return {'replay', record[3], record[4], record[5]}
