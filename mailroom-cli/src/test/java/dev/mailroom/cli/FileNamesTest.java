package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which attachment names become files in a directory, and which are refused. */
class FileNamesTest {
  private final Path dir = Path.of("/home/bob/downloads");

  @Test
  void aPlainNameBecomesAFileDirectlyInTheDirectory() {
    assertThat(FileNames.inside(dir, "build.log")).contains(dir.resolve("build.log"));
    assertThat(FileNames.inside(dir, "run 1142 (final).tar.gz"))
        .contains(dir.resolve("run 1142 (final).tar.gz"));
    assertThat(FileNames.inside(dir, "résumé.pdf")).contains(dir.resolve("résumé.pdf"));
  }

  @Test
  void namesThatReachOutHideOrPlayTricksAreRefused() {
    for (String name :
        new String[] {
          "",
          ".",
          "..",
          "../.bashrc",
          "a/../../etc/passwd",
          "/etc/passwd",
          "sub/file",
          "..\\..\\x",
          "C:evil",
          ".bashrc",
          ".git",
          " leading",
          "trailing ",
          "bell\u0007",
          "esc\u001b[31mred",
          "new\nline",
          "nul\u0000",
          "txt.\u202egnp",
          "x".repeat(256)
        }) {
      assertThat(FileNames.inside(dir, name)).as("%s", name).isEmpty();
    }
  }
}
