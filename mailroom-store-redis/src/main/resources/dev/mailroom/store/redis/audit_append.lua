-- AuditStore.append. ARGV: 5 the number of records, 6 the number of fields of a record, then the
-- field names (the first two are the chain and the index), then for each record its position
-- (see RedisAuditStore) and its field values. A record is the hash ar:<chain>#<index>, listed in
-- audit (by position), ac:<chain> (by index) and its chain in achains.
-- Returns 'ok', or the reason it stored nothing: a record already stored, or one given twice.
local n = tonumber(ARGV[5])
local k = tonumber(ARGV[6])
local first = 7 + k
local function id(pos)
  -- A position is 16 hex digits of time, '#', then the record's id <chain>#<index>.
  return string.sub(pos, 18)
end
local seen = {}
for r = 0, n - 1 do
  local rid = id(ARGV[first + r * (k + 1)])
  if seen[rid] or redis.call('EXISTS', P .. 'ar:' .. rid) == 1 then
    return 'audit record ' .. rid .. ' is already stored'
  end
  seen[rid] = true
end
for r = 0, n - 1 do
  local at = first + r * (k + 1)
  local pos = ARGV[at]
  local fields = {}
  for f = 1, k do
    fields[2 * f - 1] = ARGV[6 + f]
    fields[2 * f] = ARGV[at + f]
  end
  local chain, index = ARGV[at + 1], ARGV[at + 2]
  redis.call('HSET', P .. 'ar:' .. id(pos), unpack(fields))
  redis.call('ZADD', P .. 'audit', 0, pos)
  redis.call('ZADD', P .. 'ac:' .. chain, index, pos)
  redis.call('ZADD', P .. 'achains', 0, chain)
end
return 'ok'
