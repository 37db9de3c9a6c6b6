-- The part of AgentStore.create in the agent's shard, before agent_create.lua records the agent:
-- the agent's mailbox. ARGV: 5 id. Returns 'ok' (made now, or left by an earlier attempt) or a
-- conflict reason.
local id = ARGV[5]
local kind = redis.call('HGET', P .. 'mb:' .. id, 'kind')
if kind == 'agent' then
  return 'ok'
end
if kind then
  return 'the name ' .. id .. ' is taken by a mailbox'
end
create(P, id, 'agent')
return 'ok'
