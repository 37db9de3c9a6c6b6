-- AgentStore.replaceToken, revokeToken and replaceRoles. ARGV: 5 id, 6 the agent's record as the
-- node read it, 7 the record to store instead, 8 what to do with the token ('keep', 'revoke' or
-- 'replace'), 9 the new token hash. The node makes the new record from the one it read, so the
-- script stores it only if that is still the stored one.
-- Returns 1 once done, 0 if there is no such agent, -1 if the record changed since it was read.
local id = ARGV[5]
local record = redis.call('HGET', P .. 'agents', id)
if not record then
  return 0
end
if record ~= ARGV[6] then
  return -1
end
redis.call('HSET', P .. 'agents', id, ARGV[7])
if ARGV[8] ~= 'keep' then
  local old = redis.call('HGET', P .. 'tokenof', id)
  if old then
    redis.call('HDEL', P .. 'tokens', old)
  end
  if ARGV[8] == 'replace' then
    redis.call('HSET', P .. 'tokens', ARGV[9], id)
    redis.call('HSET', P .. 'tokenof', id, ARGV[9])
  else
    redis.call('HDEL', P .. 'tokenof', id)
  end
end
event('A', id)
return 1
