-- MessageStore.send, all or nothing in its home shard. ARGV: from 5 one send as send_core.lua's
-- readSend reads it. Returns what store returns.
return store(readSend(5))
