-- DeliveryStore.deadLetter, in the agent's shard. ARGV: 5 agent, 6 id, 7 attempts, 8 reason.
-- Returns 1 if it was pending. 'dlall' holds the shard's dead letters as 'id|agent'.
local agent, hex = ARGV[5], ARGV[6]
if not live(P, hex) then
  return 0
end
local sub = unpend(P, agent, hex)
if not sub then
  return 0
end
redis.call('ZADD', P .. 'dl:' .. agent, 0, hex)
redis.call('ZADD', P .. 'dlall', 0, hex .. '|' .. agent)
redis.call('HSET', P .. 'dd:' .. agent, hex,
  sub .. '|' .. ARGV[7] .. '|' .. string.format('%d', NOW) .. '|' .. ARGV[8])
return 1
