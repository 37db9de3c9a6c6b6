-- ObligationStore.purgeExpired, for the obligations. ARGV: 5 the caller's now, 6 the most to
-- remove. Removes the obligations whose message has expired, from every key that names them.
-- Returns how many it removed.
local ids = redis.call('ZRANGEBYSCORE', P .. 'ogexp', '-inf', ARGV[5], 'LIMIT', 0, tonumber(ARGV[6]))
for _, id in ipairs(ids) do
  local fixed = redis.call('HGET', P .. 'og', id)
  if fixed then
    local sender, target, thread = obligation_parts(fixed)
    redis.call('ZREM', P .. 'og:s:' .. sender, id)
    redis.call('ZREM', P .. 'og:t:' .. target, id)
    redis.call('ZREM', P .. 'og:su:' .. sender, id)
    redis.call('ZREM', P .. 'og:tu:' .. target, id)
    redis.call('SREM', P .. 'og:th:' .. thread, id)
  end
  redis.call('HDEL', P .. 'og', id)
  redis.call('HDEL', P .. 'ogm', id)
  redis.call('HDEL', P .. 'ogn', id)
  redis.call('ZREM', P .. 'ogdue', id)
  redis.call('ZREM', P .. 'ogexp', id)
end
return #ids
