-- Shared by the obligation scripts. An obligation lives among the system's own keys: 'ob' (hex id
-- to its fixed part: sender, target, thread, then the rest, one per line), 'obm' (hex id to how it
-- was met, set once), 'obn' (hex id to when its overdue notice went out, set once), the sorted sets
-- 'ob:s:<sender>' and 'ob:t:<target>' (hex ids, all at score 0, so in id order by lex), the same
-- of the unmet ones only, 'ob:su:<sender>' and 'ob:tu:<target>' (what a listing of what is still
-- owed walks), the set
-- 'ob:th:<thread>' of the unmet ids of a thread, the sorted set 'obdue' (unmet, unnoticed ids with
-- a deadline, by deadline) and 'obexp' (ids by their message's expiry).
local function obligation_parts(fixed)
  return string.match(fixed, '^([^\n]*)\n([^\n]*)\n([^\n]*)\n')
end
