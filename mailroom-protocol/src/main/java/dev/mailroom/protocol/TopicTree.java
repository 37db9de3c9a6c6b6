package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Topics as a tree of name segments ({@code GET /v1/topics}): one page of them, by name. A node
 * without a topic is an intermediate name ({@code ai} above {@code ai.models}). The tree of a page
 * holds that page's topics only, so an intermediate name can appear on several pages.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page (and
 *     absent from servers that answered every topic at once)
 */
public record TopicTree(
    List<Node> topics, @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public TopicTree {
    topics = List.copyOf(topics);
  }

  /** A whole tree: one page with nothing after it. */
  public TopicTree(List<Node> topics) {
    this(topics, Optional.empty());
  }

  /**
   * The tree of this page's topics and {@code next}'s, with {@code next}'s cursor: folding the
   * pages of a listing with it gives the tree of all their topics. Nodes of one name become one, in
   * the server's order (by segment).
   */
  public TopicTree plus(TopicTree next) {
    return new TopicTree(merge(topics, next.topics), next.nextCursor);
  }

  private static List<Node> merge(List<Node> a, List<Node> b) {
    Map<String, Node> bySegment = new TreeMap<>();
    for (Node n : a) {
      bySegment.put(n.segment(), n);
    }
    for (Node n : b) {
      bySegment.merge(
          n.segment(),
          n,
          (x, y) ->
              new Node(
                  x.name(),
                  x.segment(),
                  x.topic().or(y::topic),
                  merge(x.children(), y.children())));
    }
    return List.copyOf(bySegment.values());
  }

  /** The topics of this tree, by name (the order the server lists them in). */
  public List<TopicView> topicsByName() {
    List<TopicView> out = new ArrayList<>();
    collect(topics, out);
    out.sort(Comparator.comparing(TopicView::name));
    return out;
  }

  private static void collect(List<Node> nodes, List<TopicView> into) {
    for (Node n : nodes) {
      n.topic().ifPresent(into::add);
      collect(n.children(), into);
    }
  }

  /**
   * @param segment the last segment of {@code name}
   * @param topic the topic of this exact name, if there is one
   */
  public record Node(String name, String segment, Optional<TopicView> topic, List<Node> children) {
    public Node {
      children = List.copyOf(children);
    }
  }
}
