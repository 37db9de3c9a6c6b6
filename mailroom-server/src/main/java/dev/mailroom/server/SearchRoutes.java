package dev.mailroom.server;

import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.Listing;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.search.SearchDocument;
import dev.mailroom.core.search.SearchHit;
import dev.mailroom.core.search.SearchPage;
import dev.mailroom.core.search.SearchPosition;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchService;
import dev.mailroom.core.search.Snippets;
import dev.mailroom.protocol.SearchResult;
import dev.mailroom.protocol.SearchResults;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/search}: full-text search over the messages the caller may read, with every
 * listing filter, ranked, with snippets. The query text is not audited (it may itself be
 * confidential); the mailbox a search names is.
 */
final class SearchRoutes {
  static final String QUERY = "q";
  static final String MAILBOX = "mailbox";

  private final SearchService search;
  private final MessageViews views;
  private final JsonMapper mapper;
  private final HttpLimits http;

  SearchRoutes(SearchService search, MessageViews views, JsonMapper mapper, HttpLimits http) {
    this.search = search;
    this.views = views;
    this.mapper = mapper;
    this.http = http;
  }

  /** {@code GET /v1/search?q=&mailbox=&<listing filters>&limit=&cursor=}. */
  void search(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Map<String, List<String>> params = new HashMap<>(ctx.queryParamMap());
    List<String> q = params.remove(QUERY);
    List<String> mailboxes = params.remove(MAILBOX);
    List<String> cursors = params.remove(CursorCodec.FIELD);
    if (params.containsKey("order")) {
      errors.add("order", "does not apply: search results are in rank order");
      params.remove("order");
    }
    Optional<SearchQuery> query = Optional.empty();
    if (q == null || q.isEmpty()) {
      errors.add(QUERY, "is required");
    } else if (q.size() > 1) {
      errors.add(QUERY, "must be given once");
    } else {
      query = errors.capture(QUERY, () -> SearchQuery.parse(q.getFirst()));
    }
    Optional<MailboxName> mailbox = Optional.empty();
    if (mailboxes != null && mailboxes.size() > 1) {
      errors.add(MAILBOX, "must be given once");
    } else if (mailboxes != null) {
      mailbox = errors.capture(MAILBOX, () -> MailboxName.of(mailboxes.getFirst()));
      mailbox.ifPresent(m -> Exchanges.auditResource(ctx, m.value()));
    }
    Optional<SearchPosition> after = Optional.empty();
    if (cursors != null && cursors.size() > 1) {
      errors.add(CursorCodec.FIELD, "must be given once");
    } else if (cursors != null) {
      after = errors.capture(CursorCodec.FIELD, () -> CursorCodec.decodeSearch(cursors.getFirst()));
    }
    Listing listing = ListingParser.parse(params, errors, http);
    SearchPage page =
        search.search(Exchanges.principal(ctx), query.orElseThrow(), mailbox, listing, after);
    List<SearchResult> results = new ArrayList<>(page.hits().size());
    for (SearchHit hit : page.hits()) {
      var e = hit.envelope();
      results.add(
          new SearchResult(
              views.view(e.message(), e.readAt()),
              hit.rank(),
              Snippets.of(SearchDocument.body(e.message()), query.get())));
    }
    Exchanges.json(
        ctx, mapper, 200, new SearchResults(results, page.next().map(CursorCodec::encode)));
  }
}
