-- KEYS: inbox, bulk inbox, drains, running, owners.  ARGV: batch, running ttl, job id, owner
-- ('' for none).  Returns the ids a drain job takes: from the interactive inbox, or from the
-- bulk one only when nothing interactive waits. Idempotent per job: run again (a reply lost
-- to a Redis blip), it returns the batch the job already holds instead of taking a second.
local held = redis.call('GET', KEYS[4])
if held then
  return cjson.decode(held)
end
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then
  redis.call('DECR', KEYS[3])
end
local ids = redis.call('LPOP', KEYS[1], ARGV[1])
if not ids then
  ids = redis.call('LPOP', KEYS[2], ARGV[1])
end
if not ids then
  return {}
end
redis.call('SET', KEYS[4], cjson.encode(ids), 'EX', ARGV[2])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[5], ARGV[3], ARGV[4])
end
return ids
