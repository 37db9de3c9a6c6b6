-- Shared by the obligation scripts. An obligation lives among the system's own keys: 'og' (hex id
-- to its fixed part: sender, target, thread, then the rest, one per line), 'ogm' (hex id to how it
-- was met, set once), 'ogn' (hex id to when its overdue notice went out, set once), the sorted sets
-- 'og:s:<sender>' and 'og:t:<target>' (hex ids, all at score 0, so in id order by lex), the same
-- of the unmet ones only, 'og:su:<sender>' and 'og:tu:<target>' (what a listing of what is still
-- owed walks), the set
-- 'og:th:<thread>' of the unmet ids of a thread, the sorted set 'ogdue' (unmet, unnoticed ids with
-- a deadline, by deadline) and 'ogexp' (ids by their message's expiry).
local function obligation_parts(fixed)
  return string.match(fixed, '^([^\n]*)\n([^\n]*)\n([^\n]*)\n')
end
