package dev.mailroom.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which agents a directory listing keeps ({@code GET /v1/agents}): by tag, presence, retirement and
 * a prefix of the id or display name. Every part is optional; {@link #ALL} keeps every agent.
 * Immutable.
 *
 * @param tag agents whose profile carries this tag
 * @param online true: agents online on some node; false: the others
 * @param retired true: retired agents; false: active ones
 * @param prefix agents whose id or display name starts so, ignoring case
 */
public record AgentFilter(
    Optional<String> tag,
    Optional<Boolean> online,
    Optional<Boolean> retired,
    Optional<String> prefix) {
  public static final AgentFilter ALL =
      new AgentFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public AgentFilter withTag(String value) {
    return new AgentFilter(Optional.of(value), online, retired, prefix);
  }

  public AgentFilter withOnline(boolean value) {
    return new AgentFilter(tag, Optional.of(value), retired, prefix);
  }

  public AgentFilter withRetired(boolean value) {
    return new AgentFilter(tag, online, Optional.of(value), prefix);
  }

  public AgentFilter withPrefix(String value) {
    return new AgentFilter(tag, online, retired, Optional.of(value));
  }

  List<Map.Entry<String, String>> parameters() {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    tag.ifPresent(t -> p.add(Map.entry("tag", t)));
    online.ifPresent(o -> p.add(Map.entry("online", o.toString())));
    retired.ifPresent(r -> p.add(Map.entry("retired", r.toString())));
    prefix.ifPresent(q -> p.add(Map.entry("q", q)));
    return p;
  }
}
