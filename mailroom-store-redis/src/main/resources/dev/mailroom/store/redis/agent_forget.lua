-- The last step of AgentStore.delete, in the system's keys, once its mailbox and subscriptions are
-- gone: its last-seen time, presence marks ('<node>|<id>' members of 'presence') and the count of
-- topics it created go, and its id leaves 'deleting', so it may be registered again. ARGV: 5 id.
-- Returns 1.
local id = ARGV[5]
redis.call('HDEL', P .. 'lastseen', id)
redis.call('DEL', P .. 'tc:' .. id, P .. 'sa:' .. id)
local suffix = '|' .. id
for _, m in ipairs(redis.call('ZRANGE', P .. 'presence', 0, -1)) do
  if string.sub(m, -#suffix) == suffix then
    redis.call('ZREM', P .. 'presence', m)
  end
end
redis.call('SREM', P .. 'deleting', id)
return 1
