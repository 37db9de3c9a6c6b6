-- Claims, renews or gives up a node number, which a node puts in every message id it gives, so
-- that ids given by different nodes never collide, even ids given while Redis was down (a node's
-- spool). Run on the system's keys. ARGV: 5 the node's name (new for each process), 6 the lease
-- in milliseconds (0 gives the number up), 7 how many numbers there are, 8 the millisecond of the
-- last id the node gave (0 if none). The 'nodes' hash maps a number to 'name|until|last': a node
-- keeps its number while it renews it; a number whose lease ran out is free, and keeps the last
-- millisecond its holders reported. Returns {number (-1 if every number is leased), the highest
-- last millisecond the other numbers hold}: a node starts its ids above it, so ids keep growing
-- across restarts even when the clock went back.
local name, lease, count = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local last = tonumber(ARGV[8])
local key = P .. 'nodes'
local mine, free, floor, kept = nil, nil, 0, 0
for n = 0, count - 1 do
  local held = redis.call('HGET', key, tostring(n))
  if held then
    local owner, ends, high = string.match(held, '^([^|]*)|(%d+)|?(%d*)$')
    high = tonumber(high) or 0
    if owner == name then
      mine, kept = n, high
    else
      if high > floor then
        floor = high
      end
      if free == nil and tonumber(ends) <= NOW then
        free = n
      end
    end
  elseif free == nil then
    free = n
  end
end
local n = mine
if n == nil then
  n = free
  if n ~= nil then
    -- The number's last holder's millisecond stays recorded with it.
    local held = redis.call('HGET', key, tostring(n))
    kept = held and (tonumber(string.match(held, '|(%d+)$')) or 0) or 0
  end
end
if n == nil then
  return {-1, floor}
end
if last > kept then
  kept = last
end
redis.call('HSET', key, tostring(n),
  name .. '|' .. string.format('%d', NOW + lease) .. '|' .. string.format('%d', kept))
return {n, floor}
