-- DeliveryStore.deleteSubscription, in the system's keys, once sub_clear.lua has emptied its queue.
-- ARGV: 5 id. Returns 1 if it existed.
local sub = ARGV[5]
if redis.call('HDEL', P .. 'subs', sub) == 0 then
  return 0
end
local agent = redis.call('HGET', P .. 'subagent', sub)
if agent then
  redis.call('SREM', P .. 'sa:' .. agent, sub)
  redis.call('HDEL', P .. 'subagent', sub)
end
event('U', sub)
return 1
