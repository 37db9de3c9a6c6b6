-- DeliveryStore.acknowledge. ARGV: 4 agent, 5.. ids. Returns how many were pending.
local agent, acked = ARGV[4], 0
for i = 5, #ARGV do
  if live(ARGV[i]) and unpend(agent, ARGV[i]) then
    acked = acked + 1
  end
end
return acked
