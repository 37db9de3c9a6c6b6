package dev.mailroom.store.redis;

import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.search.Relevance;
import dev.mailroom.core.search.SearchDocument;
import dev.mailroom.core.search.SearchHit;
import dev.mailroom.core.search.SearchPage;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchRequest;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Full-text search on Redis, which has no search module here: an inverted index kept by the Lua
 * scripts in each message's home shard ({@code search_common.lua}: {@code sx:<term>}, {@code
 * sterms}, {@code sd}, {@code sstat}), written by the send in the message's own script and removed
 * by the cleaner with the message, so it spreads over the shards as the messages do and never names
 * a message that is gone.
 *
 * <p>A search runs {@code search.lua} in every shard: it intersects the phrases' posting sets
 * (expanding a prefix through {@code sterms}) and answers the candidates' terms and the counts BM25
 * needs. The ranking is computed here ({@link Relevance}), from the same counts FTS5 uses, except
 * that a phrase of several words counts the documents holding all its words, not those holding them
 * in order. Candidates are then read in rank order, a chunk at a time, and checked for liveness,
 * scope and filters until the page is full.
 */
final class RedisSearch {
  /** The most terms a prefix expands to in one shard; the rest are not searched. */
  static final int MAX_EXPANSIONS = 10_000;

  /** How many entries of a shard's {@code msgs} one {@code HSCAN} of the backfill asks for. */
  private static final int SCAN_PAGE = 500;

  private final RedisLink link;
  private final KeySpace keys;
  private final Scripts scripts;
  private final RedisMessageStore store;

  RedisSearch(RedisLink link, KeySpace keys, Scripts scripts, RedisMessageStore store) {
    this.link = link;
    this.keys = keys;
    this.scripts = scripts;
    this.store = store;
  }

  /** A candidate: a message's id and rank. */
  private record Candidate(String hex, MessageId id, double rank) {}

  SearchPage search(SearchRequest request) {
    SearchQuery query = request.query();
    int phrases = query.phrases().size();
    List<Object> args = new ArrayList<>();
    args.add(MAX_EXPANSIONS);
    args.add(phrases);
    for (SearchQuery.Phrase p : query.phrases()) {
      args.add(p.terms().size());
      args.add(p.prefix() ? "1" : "0");
      args.addAll(p.terms());
    }
    long documents = 0;
    long totalTerms = 0;
    long[] matching = new long[phrases];
    Map<String, String> texts = new HashMap<>();
    for (int k = 0; k < keys.shards(); k++) {
      List<Object> out = link.runIn(k, scripts.search(), ScriptOutputType.MULTI, args.toArray());
      documents += (Long) out.get(0);
      totalTerms += (Long) out.get(1);
      for (int p = 0; p < phrases; p++) {
        matching[p] += (Long) out.get(2 + p);
      }
      for (int i = 2 + phrases; i + 1 < out.size(); i += 2) {
        texts.put(Codec.text((byte[]) out.get(i)), Codec.text((byte[]) out.get(i + 1)));
      }
    }
    List<Candidate> ranked = new ArrayList<>(texts.size());
    for (Map.Entry<String, String> t : texts.entrySet()) {
      List<String> terms =
          t.getValue().isEmpty() ? List.of() : Arrays.asList(t.getValue().split(" "));
      int[] occurrences = query.occurrences(terms);
      if (occurrences.length == 0) {
        continue; // its words, but not in the phrase's order
      }
      MessageId id = Codec.id(t.getKey());
      double bm25 = Relevance.bm25(documents, totalTerms, terms.size(), occurrences, matching);
      double rank = Relevance.rank(bm25, id);
      if (request.after().isEmpty() || request.after().get().isBefore(rank, id)) {
        ranked.add(new Candidate(t.getKey(), id, rank));
      }
    }
    ranked.sort(
        Comparator.comparingDouble(Candidate::rank).thenComparing(Candidate::id).reversed());
    return page(request, ranked);
  }

  /** Reads candidates in rank order, a chunk at a time, until the page and one more are found. */
  private SearchPage page(SearchRequest request, List<Candidate> ranked) {
    int want = request.limit() + 1;
    List<SearchHit> hits = new ArrayList<>(Math.min(want, 64));
    Map<MailboxName, Boolean> shared = new HashMap<>();
    int chunk = Math.max(64, want);
    for (int from = 0; from < ranked.size() && hits.size() < want; from += chunk) {
      List<Candidate> slice = ranked.subList(from, Math.min(ranked.size(), from + chunk));
      List<String> hexes = slice.stream().map(Candidate::hex).toList();
      List<Optional<Message>> messages = store.live(hexes);
      List<Optional<Instant>> reads = store.readAt(request.reader(), hexes);
      for (int i = 0; i < slice.size() && hits.size() < want; i++) {
        Optional<Message> m = messages.get(i);
        if (m.isEmpty()
            || !request.filter().matches(m.get(), reads.get(i).isPresent())
            || !inScope(request, m.get(), shared)) {
          continue;
        }
        hits.add(new SearchHit(new Envelope(m.get(), reads.get(i)), slice.get(i).rank()));
      }
    }
    if (hits.size() <= request.limit()) {
      return new SearchPage(hits, Optional.empty());
    }
    List<SearchHit> page = hits.subList(0, request.limit());
    return new SearchPage(page, Optional.of(page.getLast().position()));
  }

  private boolean inScope(SearchRequest request, Message m, Map<MailboxName, Boolean> shared) {
    if (request.mailbox().isPresent()) {
      return store.contains(request.mailbox().get(), m.id());
    }
    if (request.everywhere() || m.sender().equals(request.reader())) {
      return true;
    }
    MailboxName own = request.reader().mailbox();
    if (m.target().isEmpty()) {
      return store.contains(own, m.id());
    }
    MailboxName target = m.target().get();
    return target.equals(own)
        || shared.computeIfAbsent(
            target,
            t ->
                store
                    .mailbox(t)
                    .map(MailboxInfo::kind)
                    .filter(k -> k != MailboxKind.AGENT)
                    .isPresent());
  }

  /**
   * Indexes every stored message, once per namespace ({@link Backfill}, marked done by the system's
   * key {@code search-indexed}): the messages stored before the index existed.
   *
   * @return how many messages it indexed
   */
  long backfill(long now) {
    return Backfill.once(
        link,
        keys,
        "search-indexed",
        now,
        SCAN_PAGE,
        scripts.searchFill(),
        (id, message, args) -> {
          args.add(id);
          args.add(SearchDocument.indexText(message));
        });
  }
}
