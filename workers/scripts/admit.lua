-- Admission, for the API and the backfill alike (workers.queue.admit): store each abstract
-- unless stored (the first receipt wins), queue it for extraction unless extracted (or, with
-- re-extraction, even then) or already pending, and open the job's events (workers.events).
-- KEYS: (abstract, claims, pending) per abstract, then the job record, the inbox, the bulk
--   inbox, the drains count.
-- ARGV: 1 pending ttl, 2 pending marker, 3 job ttl, 4 job record, 5 drain batch, 6 job id,
--   7 key prefix, 8 time now, 9 webhook URL ('' none), 10 '1' for the bulk inbox,
--   11 '1' to queue extracted abstracts again, 12 '1' for a backfill's job (it waits only for
--   what it queued, and records no event per abstract), then the abstract records, then
--   their ids.
-- Returns {per abstract: 0 stored now and queued, 1 extracted (skipped), 2 stored before and
--   queued, 3 pending already (skipped); drain jobs to enqueue}.
local n = (#KEYS - 4) / 3
local job, prefix, now, callback = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local inbox, bulk, drains = KEYS[#KEYS - 2], KEYS[#KEYS - 1], KEYS[#KEYS]
local target = inbox
if ARGV[10] == '1' then target = bulk end
local reextract, backfill = ARGV[11] == '1', ARGV[12] == '1'
local stream, state = prefix .. 'events:' .. job, prefix .. 'job-state:' .. job
local codes, watched, done = {}, {}, {}
local started = false
for i = 0, n - 1 do
  local id = ARGV[12 + n + 1 + i]
  local fresh = redis.call('SET', KEYS[3 * i + 1], ARGV[12 + 1 + i], 'NX')
  local claims = redis.call('GET', KEYS[3 * i + 2])
  if claims and not reextract then
    codes[i + 1] = 1
    done[#done + 1] = {id, claim_count(claims)}
  elseif redis.call('SET', KEYS[3 * i + 3], ARGV[2], 'NX', 'EX', ARGV[1]) then
    if fresh then codes[i + 1] = 0 else codes[i + 1] = 2 end
    watched[#watched + 1] = id
    redis.call('RPUSH', target, id)
  else
    codes[i + 1] = 3
    if not backfill then
      watched[#watched + 1] = id
      if string.sub(redis.call('GET', KEYS[3 * i + 3]) or '', 1, 8) == 'started:' then
        started = true
      end
    end
  end
end
redis.call('SET', KEYS[#KEYS - 3], ARGV[4], 'EX', ARGV[3])
redis.call('HSET', state, 'left', #watched, 'failed', 0)
if callback ~= '' then redis.call('HSET', state, 'callback', callback) end
if backfill then redis.call('HSET', state, 'quiet', '1') end
redis.call('EXPIRE', state, ARGV[3])
redis.call('RPUSH', stream, cjson.encode({event = 'status', status = 'queued', abstracts = n}))
if started then job_start(prefix, job) end
if not backfill then
  for _, item in ipairs(done) do
    redis.call('RPUSH', stream, cjson.encode(
      {event = 'abstract', id = item[1], status = 'finished', claims = item[2]}))
  end
end
for _, id in ipairs(watched) do
  redis.call('SADD', prefix .. 'watch:' .. id, job)
  redis.call('EXPIRE', prefix .. 'watch:' .. id, ARGV[1])
end
if #watched == 0 then job_finish(prefix, job, now) end
redis.call('EXPIRE', stream, ARGV[3])
return {codes, plan(inbox, bulk, drains, tonumber(ARGV[5]))}
