-- A dead worker's batch back to the inbox's front (workers.liveness).
-- KEYS: owners, running(job), inbox.  ARGV: job id, dead owner, claims prefix, pending prefix,
-- pending ttl, queued marker.  Returns how many ids went back to the inbox.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
local blob = redis.call('GET', KEYS[2])
local back = {}
if blob then
  for _, id in ipairs(cjson.decode(blob)) do
    if redis.call('EXISTS', ARGV[3] .. id) == 0 then
      redis.call('SET', ARGV[4] .. id, ARGV[6], 'EX', ARGV[5])
      back[#back + 1] = id
    end
  end
end
for i = #back, 1, -1 do
  redis.call('LPUSH', KEYS[3], back[i])
end
redis.call('DEL', KEYS[2])
redis.call('HDEL', KEYS[1], ARGV[1])
return #back
