-- ReservationStore.purgeExpired. ARGV: 5 the caller's now, 6 the most to remove. Returns how many
-- it removed. Versions stay: a project's version only grows, so a node's compare-and-set never
-- mistakes a later state for the one it read.
local ids = redis.call('ZRANGEBYSCORE', P .. 'rexp', '-inf', ARGV[5], 'LIMIT', 0, tonumber(ARGV[6]))
for _, id in ipairs(ids) do
  local project = redis.call('HGET', P .. 'rp', id)
  if project then
    redis.call('HDEL', P .. 'r:' .. project, id)
    redis.call('HDEL', P .. 'rp', id)
  end
  redis.call('ZREM', P .. 'rexp', id)
end
return #ids
