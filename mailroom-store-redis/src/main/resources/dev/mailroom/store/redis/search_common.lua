-- The full-text index of the messages whose home a shard is (RedisMessageStore.search), kept in
-- the home shard's slot with the message: 'sx:<term>' the set of ids whose text holds the term,
-- 'sterms' every term that has such a set (all scores 0, so ZRANGEBYLEX expands a prefix), 'sd'
-- id -> its terms (space-separated, as SearchDocument writes them: scoring reads them, and the
-- cleaner knows which sets to leave), 'sstat' how many documents ('n') and terms ('t') the shard
-- indexes, for BM25.

-- Indexes a message's terms, unless it is indexed already. Returns 1 if it indexed it.
local function searchIndex(S, hex, text)
  if redis.call('HSETNX', S .. 'sd', hex, text) == 0 then
    return 0
  end
  local count, seen = 0, {}
  for term in string.gmatch(text, '%S+') do
    count = count + 1
    if not seen[term] then
      seen[term] = true
      redis.call('SADD', S .. 'sx:' .. term, hex)
      redis.call('ZADD', S .. 'sterms', 0, term)
    end
  end
  redis.call('HINCRBY', S .. 'sstat', 'n', 1)
  redis.call('HINCRBY', S .. 'sstat', 't', count)
  return 1
end

-- Takes a message out of the index; a term no message holds any longer leaves 'sterms'.
local function searchUnindex(S, hex)
  local text = redis.call('HGET', S .. 'sd', hex)
  if not text then
    return
  end
  local count, seen = 0, {}
  for term in string.gmatch(text, '%S+') do
    count = count + 1
    if not seen[term] then
      seen[term] = true
      local key = S .. 'sx:' .. term
      redis.call('SREM', key, hex)
      if redis.call('SCARD', key) == 0 then
        redis.call('ZREM', S .. 'sterms', term)
      end
    end
  end
  redis.call('HDEL', S .. 'sd', hex)
  redis.call('HINCRBY', S .. 'sstat', 'n', -1)
  redis.call('HINCRBY', S .. 'sstat', 't', -count)
end
