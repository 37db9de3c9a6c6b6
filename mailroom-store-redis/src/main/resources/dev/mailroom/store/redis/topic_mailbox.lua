-- The part of TopicStore.create, configure and delete in the topic's shard. ARGV: 5 name, 6 what to
-- do: 'create' (the topic's mailbox, if there is none; 7 its creator) or 'delete' (the mailbox and
-- its history). create returns 'created', 'exists' or a conflict reason; delete returns 'deleted:'
-- and the creator (nothing after the colon if none was recorded), or 'none' if there is no such
-- topic. create publishes the 'T'
-- event (topic_delete.lua does for a deletion).
local name, action = ARGV[5], ARGV[6]
local mb = P .. 'mb:' .. name
local kind = redis.call('HGET', mb, 'kind')
if action == 'create' then
  if kind == 'topic' then
    return 'exists'
  end
  if kind then
    return 'mailbox ' .. name .. ' is a ' .. kind .. ' mailbox, not a topic'
  end
  create(P, name, 'topic')
  if ARGV[7] ~= '' then
    redis.call('HSET', mb, 'creator', ARGV[7])
  end
  event('T', name)
  return 'created'
end
if kind ~= 'topic' then
  return 'none'
end
local creator = redis.call('HGET', mb, 'creator') or ''
redis.call('DEL', mb, P .. 'e:' .. name)
return 'deleted:' .. creator
