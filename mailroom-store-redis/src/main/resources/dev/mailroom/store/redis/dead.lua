-- DeliveryStore.deadLetter. ARGV: 4 agent, 5 id, 6 attempts, 7 reason. Returns 1 if it was pending.
local agent, hex = ARGV[4], ARGV[5]
if not live(hex) then
  return 0
end
local sub = unpend(agent, hex)
if not sub then
  return 0
end
redis.call('ZADD', P .. 'dl:' .. agent, 0, hex)
redis.call('ZADD', P .. 'dlall', 0, hex .. '|' .. agent)
redis.call('HSET', P .. 'dd:' .. agent, hex,
  sub .. '|' .. ARGV[6] .. '|' .. string.format('%d', NOW) .. '|' .. ARGV[7])
return 1
