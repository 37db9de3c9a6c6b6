-- BlobStore.create. ARGV: 5 id, 6 owner, 7 name, 8 media type, 9 size, 10 part size, 11 declared
-- SHA-256 ('' for none), 12 created (stamp), 13 last used (stamp), 14 last used (epoch ms), 15 the
-- owner's quota, 16 the most bytes of every upload and blob together. Returns {'ok', 0},
-- {'quota', the owner's bytes} or {'full', every owner's bytes}; either refusal records nothing.
local id, owner, size = ARGV[5], ARGV[6], tonumber(ARGV[9])
local meta = P .. 'b:' .. id
local used = tonumber(redis.call('HGET', P .. 'bu', owner) or '0')
if used + size > tonumber(ARGV[15]) then
  return {'quota', string.format('%d', used)}
end
local total = tonumber(redis.call('GET', P .. 'bt') or '0')
if total + size > tonumber(ARGV[16]) then
  return {'full', string.format('%d', total)}
end
if redis.call('EXISTS', meta) == 1 then
  return redis.error_reply('ERR upload ' .. id .. ' exists already')
end
redis.call('HSET', meta, 'owner', owner, 'name', ARGV[7], 'type', ARGV[8], 'size', ARGV[9],
  'psize', ARGV[10], 'created', ARGV[12], 'used', ARGV[13], 'state', 'open', 'ver', 0, 'wseq', 0)
if ARGV[11] ~= '' then
  redis.call('HSET', meta, 'dsha', ARGV[11])
end
redis.call('ZADD', P .. 'bo', ARGV[14], id)
redis.call('HINCRBY', P .. 'bu', owner, ARGV[9])
redis.call('INCRBY', P .. 'bt', ARGV[9])
return {'ok', 0}
