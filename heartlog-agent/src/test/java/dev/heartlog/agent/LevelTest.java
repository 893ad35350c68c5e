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

  @ParameterizedTest
  @CsvSource({"' severe ', ERROR", "fatal, CRITICAL", "Warn, WARNING", "CONFIG, INFO", "finest, DEBUG", "info, INFO"})
  void aNamedLevelIsReadInAnyVocabularyAndCase(String name, Level expected) {
    assertThat(Level.named(name)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({"SUCCESS", "warnig", "LOUD", "''"})
  void aNameNoVocabularyUsesNamesNoLevelThoughItIsStoredAsInfo(String name) {
    assertThat(Level.named(name)).isEmpty();
    assertThat(Level.fromName(name)).isEqualTo(Level.INFO);
  }
}
