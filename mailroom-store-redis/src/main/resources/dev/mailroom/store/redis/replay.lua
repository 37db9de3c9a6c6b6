-- DeliveryStore.replay: a dead letter becomes pending again with no attempts, not bounded by its
-- subscription's queue. ARGV: 4 agent, 5 id. Returns the subscription, or false.
local agent, hex = ARGV[4], ARGV[5]
local d = redis.call('HGET', P .. 'dd:' .. agent, hex)
if not d or not live(hex) then
  return false
end
local sub = string.match(d, '^([^|]*)|')
redis.call('HDEL', P .. 'dd:' .. agent, hex)
redis.call('ZREM', P .. 'dl:' .. agent, hex)
redis.call('ZREM', P .. 'dlall', hex .. '|' .. agent)
enqueue(agent, hex, sub, 0)
event('Q', hex, agent .. '|' .. sub .. '|2147483647', redis.call('HGET', P .. 'msgs', hex))
return sub
