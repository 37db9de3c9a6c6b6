-- DeliveryStore.replay, in the agent's shard: a dead letter becomes pending again with no
-- attempts, not bounded by its subscription's queue. ARGV: 5 agent, 6 id, 7 the stored message
-- (which lives in its own shard), for the event. Returns the subscription, or false.
local agent, hex = ARGV[5], ARGV[6]
local d = redis.call('HGET', P .. 'dd:' .. agent, hex)
if not d or not live(P, hex) then
  return false
end
local sub = string.match(d, '^([^|]*)|')
redis.call('HDEL', P .. 'dd:' .. agent, hex)
redis.call('ZREM', P .. 'dl:' .. agent, hex)
redis.call('ZREM', P .. 'dlall', hex .. '|' .. agent)
enqueue(P, agent, hex, sub, 0)
event('Q', hex, agent .. '|' .. sub .. '|2147483647', ARGV[7])
return sub
