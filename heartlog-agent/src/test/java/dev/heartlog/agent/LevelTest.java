package dev.heartlog.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LevelTest {

  @ParameterizedTest
  @CsvSource({
    "TRACE, DEBUG", "debug, DEBUG", "FINE, DEBUG", "INFO, INFO", "WARN, WARNING", "warning, WARNING",
    "ERROR, ERROR", "SEVERE, ERROR", "CRITICAL, CRITICAL", "FATAL, CRITICAL", "SUCCESS, INFO"
  })
  void namesOfEveryVocabularyMapOntoTheStoresFive(String name, Level expected) {
    assertThat(Level.fromName(name)).isEqualTo(expected);
  }
}
