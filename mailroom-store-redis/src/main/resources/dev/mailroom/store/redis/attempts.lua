-- DeliveryStore.recordAttempts, in the agent's shard. ARGV: 5 agent, 6 id, 7 attempts. Returns 1
-- if it was pending.
local agent, hex = ARGV[5], ARGV[6]
local d = redis.call('HGET', P .. 'd:' .. agent, hex)
if not d or not live(P, hex) then
  return 0
end
redis.call('HSET', P .. 'd:' .. agent, hex, string.match(d, '^([^|]*)|') .. '|' .. ARGV[7])
return 1
