package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The topics as a tree of name segments ({@code GET /v1/topics}). A node without a topic is an
 * intermediate name ({@code ai} above {@code ai.models}).
 */
public record TopicTree(List<Node> topics) {
  public TopicTree {
    topics = List.copyOf(topics);
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
