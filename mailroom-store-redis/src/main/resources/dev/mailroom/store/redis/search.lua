-- RedisMessageStore.search, in one shard: the ids of the shard's messages that hold every phrase's
-- terms (a phrase's terms in any order: the caller checks their order), with their terms. ARGV: 5
-- the most terms a prefix expands to, 6 the phrase count, then for each phrase its term count K,
-- '1' if its last term is a prefix, and its K terms. Returns {documents, terms, then for each
-- phrase how many of the shard's messages hold its terms, then id and terms of each candidate}.
local maxExpansions, phrases = tonumber(ARGV[5]), tonumber(ARGV[6])
local stat = redis.call('HMGET', P .. 'sstat', 'n', 't')
local out = {tonumber(stat[1] or '0') or 0, tonumber(stat[2] or '0') or 0}
local sets = {}
local i = 7
for p = 1, phrases do
  local k, prefix = tonumber(ARGV[i]), ARGV[i + 1] == '1'
  local exact = {}
  for j = 1, k do
    if not (prefix and j == k) then
      exact[#exact + 1] = P .. 'sx:' .. ARGV[i + 1 + j]
    end
  end
  local set, size = {}, 0
  if prefix then
    local last = ARGV[i + 1 + k]
    local union = {}
    local terms = redis.call('ZRANGEBYLEX', P .. 'sterms', '[' .. last, '(' .. last .. '\255',
      'LIMIT', 0, maxExpansions)
    for _, t in ipairs(terms) do
      for _, h in ipairs(redis.call('SMEMBERS', P .. 'sx:' .. t)) do
        union[h] = true
      end
    end
    if #exact > 0 then
      for _, h in ipairs(redis.call('SINTER', unpack(exact))) do
        if union[h] then
          set[h] = true
          size = size + 1
        end
      end
    else
      for h in pairs(union) do
        set[h] = true
        size = size + 1
      end
    end
  else
    for _, h in ipairs(redis.call('SINTER', unpack(exact))) do
      set[h] = true
      size = size + 1
    end
  end
  sets[p] = set
  out[#out + 1] = size
  i = i + 2 + k
end
local found = {}
for h in pairs(sets[1]) do
  local all = true
  for p = 2, phrases do
    if not sets[p][h] then
      all = false
      break
    end
  end
  if all then
    found[#found + 1] = h
  end
end
for from = 1, #found, 1000 do
  local chunk = {}
  for j = from, math.min(from + 999, #found) do
    chunk[#chunk + 1] = found[j]
  end
  local texts = redis.call('HMGET', P .. 'sd', unpack(chunk))
  for j = 1, #chunk do
    out[#out + 1] = chunk[j]
    out[#out + 1] = texts[j] or ''
  end
end
return out
