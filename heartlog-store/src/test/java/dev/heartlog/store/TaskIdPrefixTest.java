package dev.heartlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tasks an id given in part may be ({@code heartlog task 84a151ad}): those with records whose
 * id starts with it, each once however many records it has, in order.
 */
class TaskIdPrefixTest {

  private static Store store;

  @BeforeAll
  static void fill() {
    store = TestDatabase.freshStore();
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      records.add(record("84a151ad-904b-4308-9cb4-ad63618d8e1f"));   // a long task
    }
    for (String task : List.of("84a151ae-0000", "84a2", "84b", "7ff", "t_1", "tx1", "t%2", "ï-1", "ïa", "ð", "render/😀", "render/😁")) {
      records.add(record(task));
    }
    store.withConnection(c -> {
      TestDatabase.heartbeat(c, "gpu-1", "[" + String.join(",", records) + "]");
      return null;
    });
  }

  private static String record(String task) {
    return "{\"timestamp\": \"" + Instant.now() + "\", \"level\": \"INFO\", \"message\": \"working\", \"task_id\": \"" + task + "\"}";
  }

  @Test
  void aPrefixOfOneTaskFindsItOnceHoweverManyRecordsItHas() {
    assertThat(store.taskIdsStartingWith("84a151ad", 10)).containsExactly("84a151ad-904b-4308-9cb4-ad63618d8e1f");
    assertThat(store.taskIdsStartingWith("84a151ad-904b-4308-9cb4-ad63618d8e1f", 10))
        .as("the whole id is a prefix of itself").containsExactly("84a151ad-904b-4308-9cb4-ad63618d8e1f");
  }

  @Test
  void aPrefixOfSeveralFindsThemInOrderTheFirstOfThemToTheLimit() {
    assertThat(store.taskIdsStartingWith("84", 10))
        .containsExactly("84a151ad-904b-4308-9cb4-ad63618d8e1f", "84a151ae-0000", "84a2", "84b");
    assertThat(store.taskIdsStartingWith("84a", 2)).containsExactly("84a151ad-904b-4308-9cb4-ad63618d8e1f", "84a151ae-0000");
  }

  @Test
  void onlyIdsThatStartWithThePrefixAreFoundNotThoseAroundIt() {
    assertThat(store.taskIdsStartingWith("84a151af", 10)).isEmpty();
    assertThat(store.taskIdsStartingWith("8", 10)).doesNotContain("7ff");
    assertThat(store.taskIdsStartingWith("ï", 10)).as("beyond ASCII, in code-point order").containsExactly("ï-1", "ïa");
    assertThat(store.taskIdsStartingWith("render/😀", 10)).as("a code point beyond 16 bits").containsExactly("render/😀");
  }

  @Test
  void likesWildcardsAreTakenAsTheCharactersTheyAre() {
    assertThat(store.taskIdsStartingWith("t_", 10)).containsExactly("t_1");
    assertThat(store.taskIdsStartingWith("t%", 10)).containsExactly("t%2");
  }

  @Test
  void anEmptyPrefixFindsNothing() {
    assertThat(store.taskIdsStartingWith("", 10)).isEmpty();
  }

  @Test
  void theBoundAfterAPrefixIsItsLastCodePointTheNextOne() {
    assertThat(PageReads.justAfterEvery("84a")).isEqualTo("84b");
    assertThat(PageReads.justAfterEvery("a😀")).isEqualTo("a😁");
    assertThat(PageReads.justAfterEvery("a\uD7FF")).as("past the surrogates, which are no code points").isEqualTo("a\uE000");
    assertThat(PageReads.justAfterEvery("a" + Character.toString(Character.MAX_CODE_POINT))).isNull();
  }
}
