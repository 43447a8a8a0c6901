-- Job events (workers.events): shared by admission (workers.queue) and the scripts below.
-- Every key is built from `prefix` (keys.PREFIX) the way workers/keys.py builds it:
--   job-state:{job}  events:{job}  watch:{abstract}  webhooks:due  webhooks:wake
-- A job's events are a list of JSON objects; an event's id is its position in the list.

local function job_open(state, stream)
  -- Whether the job still takes events: both keys live (an RPUSH would create a list with no
  -- time-to-live), and no final status yet.
  return redis.call('EXISTS', state, stream) == 2 and redis.call('HEXISTS', state, 'final') == 0
end

local function job_finish(prefix, job, now)
  -- All of the job's abstracts are settled: its final status event, and its webhook due now.
  local state = prefix .. 'job-state:' .. job
  local failed = tonumber(redis.call('HGET', state, 'failed') or '0')
  local status = 'finished'
  if failed > 0 then status = 'failed' end
  redis.call('HSET', state, 'final', status)
  redis.call('RPUSH', prefix .. 'events:' .. job, cjson.encode({event = 'status', status = status}))
  if redis.call('HEXISTS', state, 'callback') == 1 then
    redis.call('ZADD', prefix .. 'webhooks:due', now, job)
    redis.call('LPUSH', prefix .. 'webhooks:wake', '1')
    redis.call('LTRIM', prefix .. 'webhooks:wake', 0, 0)
  end
end

local function job_settle(prefix, job, abstract, status, claims, err, now)
  -- One abstract of the job is settled; false when the job has no events (expired, or final).
  local state, stream = prefix .. 'job-state:' .. job, prefix .. 'events:' .. job
  if not job_open(state, stream) then return false end
  if redis.call('HEXISTS', state, 'quiet') == 0 then
    local event = {event = 'abstract', id = abstract, status = status, claims = tonumber(claims)}
    if err ~= '' then event.error = err end
    redis.call('RPUSH', stream, cjson.encode(event))
  end
  if status == 'failed' then redis.call('HINCRBY', state, 'failed', 1) end
  if redis.call('HINCRBY', state, 'left', -1) <= 0 then job_finish(prefix, job, now) end
  return true
end

local function job_start(prefix, job)
  -- A worker began one of the job's abstracts: the job's "started" event, once.
  local state, stream = prefix .. 'job-state:' .. job, prefix .. 'events:' .. job
  if not job_open(state, stream) then return false end
  if redis.call('HSETNX', state, 'started', '1') == 0 then return false end
  redis.call('RPUSH', stream, cjson.encode({event = 'status', status = 'started'}))
  return true
end

local function claim_count(blob)
  -- How many claims a stored claims record holds (workers.records: [version, claims], or a
  -- bare array of claims in the earlier format).
  local ok, value = pcall(cmsgpack.unpack, blob)
  if not ok or type(value) ~= 'table' then return 0 end
  if type(value[1]) == 'string' and type(value[2]) == 'table' then return #value[2] end
  return #value
end
