-- MessageStore.sendAll on a single Redis, all or nothing. ARGV: 5 the number of sends N, then N
-- sends, each as send_core.lua's readSend reads it, every group delivered at once. Every send is
-- checked before any is stored: if one would be refused, nothing is stored and the answer is
-- {'conflict', its index from 0, reason}. Otherwise the sends are stored in order and the answer
-- is {'ok', N} followed, for each send, by six values: status ('ok', 'dup' or 'expired'), id,
-- recipients,
-- dropped, published (0 or 1), the topic it created ('' if none).
local n = tonumber(ARGV[5])
local sends, i = {}, 6
for k = 1, n do
  sends[k], i = readSend(i)
end

-- A send whose idempotency key was used before (or earlier in this batch) stores nothing, so it
-- cannot conflict.
local kinds, keys = {}, {}
for k, m in ipairs(sends) do
  local field = m.sender .. '\n' .. m.key
  local repeated = m.key ~= '' and (keys[field] or earlier(m))
  if m.key ~= '' then
    keys[field] = true
  end
  if not repeated then
    local why = conflict(m, kinds)
    if why then
      return {'conflict', k - 1, why}
    end
  end
end

local out = {'ok', n}
for _, m in ipairs(sends) do
  local r = store(m)
  out[#out + 1] = r[1]
  out[#out + 1] = r[2]
  out[#out + 1] = r[3]
  out[#out + 1] = r[4] or 0
  out[#out + 1] = r[5] or 0
  out[#out + 1] = r[7] or ''
end
return out
