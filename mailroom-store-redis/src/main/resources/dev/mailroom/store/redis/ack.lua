-- DeliveryStore.acknowledge, in the agent's shard. ARGV: 5 agent, 6.. ids. Returns how many were
-- pending, and tells every node which ones.
local agent, acked = ARGV[5], {}
for i = 6, #ARGV do
  if live(P, ARGV[i]) and unpend(P, agent, ARGV[i]) then
    acked[#acked + 1] = ARGV[i]
  end
end
if #acked > 0 then
  event('K', agent, table.concat(acked, ','))
end
return #acked
