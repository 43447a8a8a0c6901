-- Queue as many drain jobs as the waiting ids need (workers.inbox); returns how many the
-- caller enqueues in RQ. Ids wait in the interactive inbox and the bulk one (backfills).
local DRAINS_TTL = 600
local function plan(inbox, bulk, drains, batch)
  local waiting = redis.call('LLEN', inbox) + redis.call('LLEN', bulk)
  local queued = tonumber(redis.call('GET', drains) or '0')
  local needed = math.ceil(waiting / batch) - queued
  if needed > 0 then
    redis.call('INCRBY', drains, needed)
    redis.call('EXPIRE', drains, DRAINS_TTL)
    return needed
  end
  return 0
end
