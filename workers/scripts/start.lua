-- Abstracts a worker began: the "started" event of the jobs waiting on them.
-- ARGV: prefix, channel, then abstract ids.
local prefix, channel = ARGV[1], ARGV[2]
local touched = {}
for i = 3, #ARGV do
  for _, job in ipairs(redis.call('SMEMBERS', prefix .. 'watch:' .. ARGV[i])) do
    if job_start(prefix, job) then touched[job] = true end
  end
end
for job in pairs(touched) do redis.call('PUBLISH', channel, prefix .. 'events:' .. job) end
return 0
