-- The end of a removal (see blob_remove.lua), once the chunks are deleted: the record goes. ARGV: 5
-- id. Returns 1 if it removed the record, 0 if there was none being removed.
local id = ARGV[5]
local meta = P .. 'b:' .. id
redis.call('ZREM', P .. 'bx', id)
if redis.call('HGET', meta, 'state') ~= 'removing' then
  return 0
end
redis.call('DEL', meta)
return 1
