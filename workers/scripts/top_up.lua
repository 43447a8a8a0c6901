-- KEYS: inbox, bulk inbox, drains, RQ's queue list.  ARGV: batch.  Drain jobs for ids that
-- have none coming. The drains count can only exceed the drain jobs RQ holds if an enqueue
-- was lost after admission counted it (a process killed in between): it is brought back
-- down first, so the waiting ids get their jobs now rather than when the count expires.
local queued = tonumber(redis.call('GET', KEYS[3]) or '0')
local held = redis.call('LLEN', KEYS[4])
if queued > held then
  redis.call('SET', KEYS[3], held, 'KEEPTTL')
end
return plan(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1]))
