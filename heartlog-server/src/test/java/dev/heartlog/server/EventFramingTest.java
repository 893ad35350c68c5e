package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The live tail's server-sent events as they go on the wire, which {@code TailRoutes} writes itself. */
class EventFramingTest {

  @Test
  void anEventCarriesItsIdTypeAndOneLineOfDataThenABlankLine() {
    byte[] event = TailRoutes.event("record", 42, "{\"id\":42,\"message\":\"ünïcödé \\n escaped\"}");

    assertThat(new String(event, StandardCharsets.UTF_8))
        .isEqualTo("id: 42\nevent: record\ndata: {\"id\":42,\"message\":\"ünïcödé \\n escaped\"}\n\n");
  }

  @Test
  void dataOfSeveralLinesIsSentAsOneDataLineEachWhichTheBrowserJoinsAgain() {
    byte[] event = TailRoutes.event("note", 7, "first\r\nsecond\rthird\nfourth");

    assertThat(new String(event, StandardCharsets.UTF_8))
        .isEqualTo("id: 7\nevent: note\ndata: first\ndata: second\ndata: third\ndata: fourth\n\n");
  }
}
