-- DeliveryStore.deleteSubscription: its pending deliveries stop being pending. ARGV: 4 id.
-- Returns 1 if it existed.
local sub = ARGV[4]
if redis.call('HDEL', P .. 'subs', sub) == 0 then
  return 0
end
local agent = redis.call('HGET', P .. 'subagent', sub)
if agent then
  redis.call('SREM', P .. 'sa:' .. agent, sub)
  redis.call('HDEL', P .. 'subagent', sub)
end
for _, m in ipairs(redis.call('ZRANGE', P .. 'ps:' .. sub, 0, -1)) do
  local h, a = string.match(m, '^(%x+)|(.+)$')
  unpend(a, h)
end
redis.call('DEL', P .. 'ps:' .. sub)
redis.call('HDEL', P .. 'q', sub)
event('U', sub)
return 1
