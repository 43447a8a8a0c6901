-- A due webhook for this worker to deliver, held a lease ahead (workers.webhooks).
-- KEYS: due.  ARGV: now, lease.  Returns the job id claimed, or false.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), due[1])
return due[1]
