-- TopicStore.delete: the mailbox, its history, configuration and statistics. ARGV: 4 name.
local name = ARGV[4]
if redis.call('HGET', P .. 'mb:' .. name, 'kind') ~= 'topic' then
  return 0
end
local creator = redis.call('HGET', P .. 'mb:' .. name, 'creator')
if creator then
  redis.call('SREM', P .. 'tc:' .. creator, name)
end
redis.call('DEL', P .. 'mb:' .. name, P .. 'e:' .. name)
redis.call('HDEL', P .. 'tcfg', name)
redis.call('ZREM', P .. 'topics', name)
event('T', name)
return 1
