-- The part of DeliveryStore.deleteSubscription in its agent's shard: the subscription's pending
-- deliveries stop being pending and its queue goes. ARGV: 5 id. Returns how many were pending.
local sub = ARGV[5]
local members = redis.call('ZRANGE', P .. 'ps:' .. sub, 0, -1)
for _, m in ipairs(members) do
  local h, a = string.match(m, '^(%x+)|(.+)$')
  unpend(P, a, h)
end
redis.call('DEL', P .. 'ps:' .. sub)
redis.call('HDEL', P .. 'q', sub)
return #members
