-- DeliveryStore.acknowledge. ARGV: 4 agent, 5.. ids. Returns how many were pending, and tells
-- every node which ones.
local agent, acked = ARGV[4], {}
for i = 5, #ARGV do
  if live(ARGV[i]) and unpend(agent, ARGV[i]) then
    acked[#acked + 1] = ARGV[i]
  end
end
if #acked > 0 then
  event('K', agent, table.concat(acked, ','))
end
return #acked
