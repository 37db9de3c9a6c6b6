package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.BlobId;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttachmentColumnTest {
  private static final String SHA = "ab".repeat(32);

  @Test
  void attachmentsComeBackExactlyInTheirOrder() {
    List<Attachment> attachments =
        List.of(
            new Attachment(BlobId.random(), "build.log", "text/plain", 12_345, SHA),
            new Attachment(
                BlobId.random(),
                "\"quoted\" \\ back\u0001slash \u2028 ünïcode 日本語 {},:[]",
                "application/octet-stream",
                0,
                SHA),
            new Attachment(BlobId.random(), "big.bin", "image/png", Long.MAX_VALUE, SHA));

    String json = AttachmentColumn.encode(attachments);

    assertThat(AttachmentColumn.decode(json)).isEqualTo(attachments);
    assertThat(json).doesNotContain("\u0001").doesNotContain("\u2028");
  }

  @Test
  void theColumnIsCompactJsonAnOperatorCanRead() {
    BlobId blob = new BlobId("0123456789abcdef0123456789abcdef");
    String json =
        AttachmentColumn.encode(List.of(new Attachment(blob, "a.txt", "text/plain", 3, SHA)));

    assertThat(json)
        .isEqualTo(
            "[{\"blob\":\"0123456789abcdef0123456789abcdef\",\"name\":\"a.txt\","
                + "\"content_type\":\"text/plain\",\"size\":3,\"sha256\":\""
                + SHA
                + "\"}]");
  }

  @Test
  void anyJsonSpellingOfTheSameAttachmentsReads() {
    String json =
        " [ { \"size\" : 3 , \"sha256\" : \""
            + SHA
            + "\", \"name\": \"a\\u0062\\/c\\n\", \"content_type\": \"text/plain\","
            + " \"blob\": \"0123456789abcdef0123456789abcdef\" } ] ";

    assertThat(AttachmentColumn.decode(json))
        .containsExactly(
            new Attachment(
                new BlobId("0123456789abcdef0123456789abcdef"), "ab/c\n", "text/plain", 3, SHA));
  }

  @Test
  void aDamagedColumnIsRefusedNotGuessedAt() {
    String good =
        "[{\"blob\":\"0123456789abcdef0123456789abcdef\",\"name\":\"a\",\"content_type\":\"t/p\","
            + "\"size\":3,\"sha256\":\"x\"}]";
    assertThat(AttachmentColumn.decode(good)).hasSize(1);

    for (String damaged :
        List.of(
            "",
            "[",
            good.substring(0, good.length() - 1),
            good + "x",
            good.replace("\"size\":3,", ""),
            good.replace("\"size\":3", "\"size\":-3"),
            good.replace("\"size\":3", "\"size\":\"3\""),
            good.replace("\"name\"", "\"nom\""),
            good.replace("0123456789abcdef0123456789abcdef", "not an id"),
            good.replace("\"a\"", "\"a\\q\""),
            good.replace("\"a\"", "\"a\\u00\""))) {
      assertThatThrownBy(() -> AttachmentColumn.decode(damaged))
          .as(damaged)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed attachments column");
    }
  }
}
