-- Settled abstracts: an event for every job waiting on each (workers.events).
-- ARGV: prefix, now, channel, then (abstract id, status, claim count, error) per abstract.
local prefix, now, channel = ARGV[1], ARGV[2], ARGV[3]
local touched = {}
for i = 4, #ARGV, 4 do
  local watch = prefix .. 'watch:' .. ARGV[i]
  for _, job in ipairs(redis.call('SMEMBERS', watch)) do
    if job_settle(prefix, job, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], now) then
      touched[job] = true
    end
  end
  redis.call('DEL', watch)
end
for job in pairs(touched) do redis.call('PUBLISH', channel, prefix .. 'events:' .. job) end
return 0
