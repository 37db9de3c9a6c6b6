-- DeliveryStore.recordAttempts. ARGV: 4 agent, 5 id, 6 attempts. Returns 1 if it was pending.
local agent, hex = ARGV[4], ARGV[5]
local d = redis.call('HGET', P .. 'd:' .. agent, hex)
if not d or not live(hex) then
  return 0
end
redis.call('HSET', P .. 'd:' .. agent, hex, string.match(d, '^([^|]*)|') .. '|' .. ARGV[6])
return 1
