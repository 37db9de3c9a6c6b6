-- MessageStore.send, all or nothing. ARGV from 4: one send as send_core.lua's readSend reads it.
-- Returns what store returns.
local m = readSend(4)
return store(m)
