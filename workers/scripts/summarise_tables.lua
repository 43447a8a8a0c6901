-- The summary of each comparison table a batch changed (workers.tables).
-- KEYS: catalog, summaries, versions, claim counts, table events, then per table: rows,
-- datasets, metrics.  ARGV: size factor, events kept, events channel, then per table: id,
-- dataset key, metric key.  Each table changed is one entry of the table events stream
-- (workers.events), with its size after the change.
local factor = tonumber(ARGV[1])
local n = (#ARGV - 3) / 3
for i = 0, n - 1 do
  local id, dk, mk = ARGV[4 + 3 * i], ARGV[5 + 3 * i], ARGV[6 + 3 * i]
  local rows, datasets, metrics = KEYS[6 + 3 * i], KEYS[7 + 3 * i], KEYS[8 + 3 * i]
  redis.call('HINCRBY', KEYS[3], id, 1)
  redis.call('ZREMRANGEBYSCORE', datasets, '-inf', 0)
  redis.call('ZREMRANGEBYSCORE', metrics, '-inf', 0)
  local claims = tonumber(redis.call('HGET', KEYS[4], id) or '0')
  local count = 0
  if claims <= 0 then
    claims = 0
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('HDEL', KEYS[4], id)
  else
    count = redis.call('HLEN', rows)
    redis.call('ZADD', KEYS[1], count * factor + claims, id)
    redis.call('HSET', KEYS[2], id, cjson.encode({
      dk = dk, mk = mk, papers = count, claims = claims,
      datasets = redis.call('ZRANGE', datasets, 0, -1, 'WITHSCORES'),
      metrics = redis.call('ZRANGE', metrics, 0, -1, 'WITHSCORES'),
    }))
  end
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[2], '*', 'table', id, 'papers', count,
    'claims', claims)
end
if n > 0 then redis.call('PUBLISH', ARGV[3], KEYS[5]) end
return n
