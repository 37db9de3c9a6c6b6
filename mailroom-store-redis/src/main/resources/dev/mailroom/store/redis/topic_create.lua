-- TopicStore.create. ARGV: 4 name, 5 creator, 6 the most existing topics the creator may have
-- created. Returns 'created', 'exists', 'limit', or a conflict reason. 'tc:<agent>' holds the
-- existing topics an agent created (so the count is one SCARD); the topic's hash names its creator
-- (so a deletion finds that set).
local name, creator = ARGV[4], ARGV[5]
local kind = redis.call('HGET', P .. 'mb:' .. name, 'kind')
if kind == 'topic' then
  return 'exists'
end
if kind then
  return 'mailbox ' .. name .. ' is a ' .. kind .. ' mailbox, not a topic'
end
if redis.call('SCARD', P .. 'tc:' .. creator) >= tonumber(ARGV[6]) then
  return 'limit'
end
create(name, 'topic')
redis.call('HSET', P .. 'mb:' .. name, 'creator', creator)
redis.call('SADD', P .. 'tc:' .. creator, name)
event('T', name)
return 'created'
