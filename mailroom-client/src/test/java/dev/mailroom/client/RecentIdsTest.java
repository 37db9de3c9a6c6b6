package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {
  @Test
  void remembersUpToItsCapacityForgettingTheOldestFirst() {
    RecentIds ids = new RecentIds(3);
    assertThat(ids.add("a")).isTrue();
    assertThat(ids.add("b")).isTrue();
    assertThat(ids.add("c")).isTrue();
    assertThat(ids.add("a")).isFalse();
    assertThat(ids.add("d")).isTrue();
    assertThat(ids.contains("a")).isFalse();
    assertThat(ids.contains("b")).isTrue();
    assertThat(ids.contains("d")).isTrue();
    assertThat(ids.size()).isEqualTo(3);
  }
}
