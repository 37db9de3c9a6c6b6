-- AuditStore.purgeBefore. ARGV: 5 the time part of the cutoff's position (16 hex digits): every
-- record positioned before it is older than the cutoff; 6 the most records to remove.
-- Returns how many were removed, oldest first.
local old = redis.call('ZRANGEBYLEX', P .. 'audit', '-', '(' .. ARGV[5],
  'LIMIT', 0, tonumber(ARGV[6]))
for _, pos in ipairs(old) do
  local rid = string.sub(pos, 18)
  local chain = string.match(rid, '^(.*)#')
  redis.call('DEL', P .. 'ar:' .. rid)
  redis.call('ZREM', P .. 'audit', pos)
  redis.call('ZREM', P .. 'ac:' .. chain, pos)
  if redis.call('ZCARD', P .. 'ac:' .. chain) == 0 then
    redis.call('ZREM', P .. 'achains', chain)
  end
end
return #old
