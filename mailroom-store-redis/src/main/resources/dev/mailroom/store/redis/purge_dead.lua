-- DeliveryStore.purgeDeadLetters, in one shard. ARGV: 5 agent ('' for all of the shard's agents), 6
-- id ('' for all). Returns the count.
local agent, hex = ARGV[5], ARGV[6]
local function drop(a, h)
  if redis.call('HDEL', P .. 'dd:' .. a, h) == 0 then
    return 0
  end
  redis.call('ZREM', P .. 'dl:' .. a, h)
  redis.call('ZREM', P .. 'dlall', h .. '|' .. a)
  return 1
end
local removed = 0
if agent ~= '' and hex ~= '' then
  removed = drop(agent, hex)
elseif agent ~= '' then
  for _, h in ipairs(redis.call('ZRANGE', P .. 'dl:' .. agent, 0, -1)) do
    removed = removed + drop(agent, h)
  end
else
  local members
  if hex ~= '' then
    members = redis.call('ZRANGEBYLEX', P .. 'dlall', '[' .. hex .. '|', '[' .. hex .. '|~')
  else
    members = redis.call('ZRANGE', P .. 'dlall', 0, -1)
  end
  for _, m in ipairs(members) do
    local h, a = string.match(m, '^(%x+)|(.+)$')
    removed = removed + drop(a, h)
  end
end
return removed
