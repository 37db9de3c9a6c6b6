-- TopicStore.configure. ARGV: 4 name, 5 encoded config, 6 '1' to create the topic mailbox too.
-- Returns 'ok' or a conflict reason.
local name = ARGV[4]
if ARGV[6] == '1' then
  local kind = redis.call('HGET', P .. 'mb:' .. name, 'kind')
  if kind and kind ~= 'topic' then
    return 'mailbox ' .. name .. ' is a ' .. kind .. ' mailbox, not a topic'
  end
  if not kind then
    create(name, 'topic')
  end
end
redis.call('HSET', P .. 'tcfg', name, ARGV[5])
event('T', name)
return 'ok'
