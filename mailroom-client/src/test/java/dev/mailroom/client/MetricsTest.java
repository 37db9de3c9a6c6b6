package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void samplesAreReadWithTheirLabelsAndSummedBySeries() {
    Metrics m =
        Metrics.parse(
            """
            # HELP mailroom_messages_sent_total messages stored
            # TYPE mailroom_messages_sent_total counter
            mailroom_messages_sent_total 42.0
            http_server_requests_seconds_count{method="GET",route="/v1/inbox",status="200"} 3
            http_server_requests_seconds_count{method="POST",route="/v1/a,\\"b\\"",status="201"} 4
            not a sample
            mailroom_streams_open 2 1700000000000
            """);
    assertThat(m.sum("mailroom_messages_sent_total")).contains(42.0);
    assertThat(m.sum("http_server_requests_seconds_count")).contains(7.0);
    assertThat(m.sum("mailroom_streams_open")).contains(2.0);
    assertThat(m.sum("absent")).isEmpty();
    assertThat(m.samples().get(2).labels())
        .isEqualTo(Map.of("method", "POST", "route", "/v1/a,\"b\"", "status", "201"));
  }
}
