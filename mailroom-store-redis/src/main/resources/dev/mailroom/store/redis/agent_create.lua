-- AgentStore.create in the system's keys, once agent_mailbox.lua made the agent's mailbox. ARGV: 5
-- id, 6 record, 7 token hash. Returns 'ok' or a conflict reason.
local id = ARGV[5]
if redis.call('HEXISTS', P .. 'agents', id) == 1 then
  return 'agent ' .. id .. ' exists'
end
if redis.call('SISMEMBER', P .. 'deleting', id) == 1 then
  return 'agent ' .. id .. ' is being deleted; delete it again to finish'
end
redis.call('HSET', P .. 'agents', id, ARGV[6])
redis.call('HSET', P .. 'tokens', ARGV[7], id)
redis.call('HSET', P .. 'tokenof', id, ARGV[7])
event('A', id)
return 'ok'
