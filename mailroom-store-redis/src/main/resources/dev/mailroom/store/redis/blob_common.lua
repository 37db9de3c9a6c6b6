-- Shared by the blob scripts (RedisBlobStore), which work on the system's own keys (P):
--   'b:<id>'  an upload's or blob's record, a hash: owner, name, type, size, psize (part size),
--             dsha (the declared SHA-256, if any), sha (once complete), created, used, state
--             ('open', 'complete' or 'removing'), ver (counts the changes to its parts), wseq (the
--             last write number given), 'p:<n>' = '<write>:<size>:<sha256>' for each part received,
--             and 'w:<write>' = '<n>' for each write whose chunks may exist but are no part of it
--             (under way, or replaced and not yet deleted), so that a removal deletes them too;
--   'bo', 'bc' the open uploads' and the blobs' ids by last use (epoch ms);
--   'bx'      the ids being removed (their chunks deleted), by when that began;
--   'bu'      owner -> the bytes counted against it; 'bt' the bytes of every upload and blob.
-- Times in records are stamps: 27 digits that sort like the instants they stand for.

-- Whether stamp a is earlier than stamp b, compared in two pieces that Lua's numbers hold exactly.
local function earlier(a, b)
  local ha, hb = tonumber(string.sub(a, 1, 14)), tonumber(string.sub(b, 1, 14))
  if ha ~= hb then
    return ha < hb
  end
  return tonumber(string.sub(a, 15)) < tonumber(string.sub(b, 15))
end
