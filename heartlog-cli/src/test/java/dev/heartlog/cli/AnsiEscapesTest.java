package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnsiEscapesTest {

  @Test
  void coloursStylesTitlesAndLinksAreTakenOutAndTheTextKept() {
    assertThat(AnsiEscapes.strip("\u001b[32mINFO\u001b[0m \u001b[1mready\u001b[0m")).isEqualTo("INFO ready");
    assertThat(AnsiEscapes.strip("\u001b[38;5;196mred\u001b[39m and \u001b[48;2;0;0;0mblack\u001b[m"))
        .isEqualTo("red and black");
    assertThat(AnsiEscapes.strip("\u001b[2K\u001b[1Gcleared line")).isEqualTo("cleared line");
    assertThat(AnsiEscapes.strip("\u001b]0;window title\u0007text")).isEqualTo("text");
    assertThat(AnsiEscapes.strip("\u001b]8;;https://example.com\u001b\\link\u001b]8;;\u001b\\")).isEqualTo("link");
    assertThat(AnsiEscapes.strip("\u001b(Bplain\u001b7")).isEqualTo("plain");
    assertThat(AnsiEscapes.strip("ends with ESC\u001b")).isEqualTo("ends with ESC");
    assertThat(AnsiEscapes.strip("ends inside CSI \u001b[3")).isEqualTo("ends inside CSI ");
  }

  @Test
  void aLineWithoutEscapesIsTheSameString() {
    String line = "[10:00:00] INFO WORKER ready ✅";

    assertThat(AnsiEscapes.strip(line)).isSameAs(line);
  }
}
