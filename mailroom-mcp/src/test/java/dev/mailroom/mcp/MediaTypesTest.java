package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MediaTypesTest {
  @Test
  void commonExtensionsGetTheirTypeWhateverTheirCase() {
    assertThat(MediaTypes.guess(Path.of("build.LOG"))).isEqualTo("text/plain");
    assertThat(MediaTypes.guess(Path.of("dir/report.md"))).isEqualTo("text/markdown");
    assertThat(MediaTypes.guess(Path.of("scores.json"))).isEqualTo("application/json");
    assertThat(MediaTypes.guess(Path.of("fix.patch"))).isEqualTo("text/x-diff");
    assertThat(MediaTypes.guess(Path.of("shot.png"))).isEqualTo("image/png");
  }

  @Test
  void textTypesAreThoseAnExcerptMayShow() {
    assertThat(MediaTypes.textLike("text/plain")).isTrue();
    assertThat(MediaTypes.textLike("text/csv; charset=utf-8")).isTrue();
    assertThat(MediaTypes.textLike("application/json")).isTrue();
    assertThat(MediaTypes.textLike("application/vnd.api+json")).isTrue();
    assertThat(MediaTypes.textLike("image/svg+xml")).isTrue();
    assertThat(MediaTypes.textLike("application/octet-stream")).isFalse();
    assertThat(MediaTypes.textLike("image/png")).isFalse();
    assertThat(MediaTypes.textLike("application/zip")).isFalse();
  }
}
