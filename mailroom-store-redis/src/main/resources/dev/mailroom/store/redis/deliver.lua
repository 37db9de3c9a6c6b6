-- The part of a send left to the outbox for one shard (see send_core.lua), run in that shard.
-- ARGV: 5 id, 6 expiry (ms), 7 sender, 8 inbox bound, 9 subscriber count S, then S subscribers as
-- readSubs reads them. Running it twice changes nothing. Returns {dropped, agents reached
-- (comma-separated), pushed recipients (comma-separated)}.
local hex, expiresAt, sender, maxInbox = ARGV[5], tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8])
local subs = readSubs(10, tonumber(ARGV[9]))
local agents, pushed = {}, {}
local dropped = deliver(P, hex, expiresAt, sender, maxInbox, subs, agents, pushed, false)
return {dropped, table.concat(agents, ','), table.concat(pushed, ',')}
