-- AgentStore.create with the agent's mailbox. ARGV: 4 id, 5 record, 6 token hash.
-- Returns 'ok' or a conflict reason.
local id = ARGV[4]
if redis.call('HEXISTS', P .. 'agents', id) == 1 then
  return 'agent ' .. id .. ' exists'
end
if redis.call('EXISTS', P .. 'mb:' .. id) == 1 then
  return 'the name ' .. id .. ' is taken by a mailbox'
end
redis.call('HSET', P .. 'agents', id, ARGV[5])
redis.call('HSET', P .. 'tokens', ARGV[6], id)
redis.call('HSET', P .. 'tokenof', id, ARGV[6])
create(id, 'agent')
event('A', id)
return 'ok'
