package dev.heartlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The origins given to {@code --cors-origins}: as a browser sends them, or a sentence saying what to give. */
class CorsOriginsTest {

  @Test
  void originsAreKeptAsBrowsersSendThemInLowerCase() {
    assertThat(CorsOrigins.checked(List.of("https://OPS.example.com", " http://localhost:3000 ", "", "*",
        "https://ops.example.com")))
        .containsExactly("https://ops.example.com", "http://localhost:3000", "*");
  }

  @Test
  void whatNoBrowserSendsAsAnOriginIsRefusedWithWhatToGive() {
    assertThatThrownBy(() -> CorsOrigins.checked(List.of("https://ops.example.com/")))
        .hasMessage("CORS origin 'https://ops.example.com/' is no origin; give it as the page's location.origin shows it, "
            + "without a path or a slash at the end: https://ops.example.com");
    assertThatThrownBy(() -> CorsOrigins.checked(List.of("https://ops.example.com/dashboard")))
        .hasMessageEndingWith("without a path or a slash at the end: https://ops.example.com");
    assertThatThrownBy(() -> CorsOrigins.checked(List.of("localhost:3000")))
        .hasMessageEndingWith("with its scheme: http://localhost:3000");
    assertThatThrownBy(() -> CorsOrigins.checked(List.of("https://admin:secret@ops.example.com")))
        .hasMessageEndingWith("scheme://host[:port]");
  }
}
