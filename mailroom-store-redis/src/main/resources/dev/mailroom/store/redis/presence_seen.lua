-- PresenceStore.seen, in the system's keys: 'lastseen' maps an agent to when it was last seen (epoch
-- ms); a time earlier than the stored one is ignored. ARGV: from 5 on, pairs of agent and time.
for i = 5, #ARGV, 2 do
  local at = tonumber(ARGV[i + 1])
  local stored = redis.call('HGET', P .. 'lastseen', ARGV[i])
  if not stored or tonumber(stored) < at then
    redis.call('HSET', P .. 'lastseen', ARGV[i], ARGV[i + 1])
  end
end
return 1
