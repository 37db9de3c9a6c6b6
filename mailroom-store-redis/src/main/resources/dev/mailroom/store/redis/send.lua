-- MessageStore.send, all or nothing in its home shard. ARGV: 5 and 6 the millisecond and sequence
-- of the last id this node gave (the new one is above it), then from 7 one send as send_core.lua's
-- readSend reads it. Returns what store returns.
lastMs, lastSeq = tonumber(ARGV[5]), tonumber(ARGV[6])
local m = readSend(7)
return store(m)
