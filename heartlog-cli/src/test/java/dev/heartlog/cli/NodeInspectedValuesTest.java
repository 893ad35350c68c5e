package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values as Node.js 20's {@code util.inspect} printed them here ({@code console.dir}, {@code console.log}). */
class NodeInspectedValuesTest {

  @Test
  void objectsListsTextsNumbersAndWordsAreReadInTheirOrder() {
    Object value = NodeInspectedValues.read("""
        {
          name: 'render',
          'service.name': 'unknown_service:node',
          tries: 3,
          ratio: -0.25,
          done: false,
          error: undefined,
          tags: [ 'gpu', "it's" ],
          nested: { empty: {}, none: [] }
        }""");

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("name", "render");
    expected.put("service.name", "unknown_service:node");
    expected.put("tries", 3L);
    expected.put("ratio", -0.25);
    expected.put("done", false);
    expected.put("error", null);
    expected.put("tags", List.of("gpu", "it's"));
    expected.put("nested", Map.of("empty", Map.of(), "none", List.of()));
    assertThat(value).isEqualTo(expected);
    List<String> keys = ((Map<?, ?>) value).keySet().stream().map(Object::toString).toList();
    assertThat(keys).containsExactly("name", "service.name", "tries", "ratio", "done", "error", "tags", "nested");
  }

  @Test
  void aTextOfSeveralLinesIsItsQuotedLinesJoinedByPlus() {
    Object value = NodeInspectedValues.read("""
        { stack: 'Error: bad frame\\n' +
            '    at Object.<anonymous> (/srv/t5.js:5:13)\\n' +
            "    at it's \\u00e9\\x41" }""");

    assertThat(value).isEqualTo(Map.of("stack", "Error: bad frame\n    at Object.<anonymous> (/srv/t5.js:5:13)\n    at it's éA"));
  }

  @Test
  void whatItCannotStandForMakesTheWholeValueUnreadable() {
    assertThat(Arrays.asList(
            NodeInspectedValues.read("{ deep: [Object] }"),
            NodeInspectedValues.read("{ f: [Function: render] }"),
            NodeInspectedValues.read("[ 1, 2, ... 98 more items ]"),
            NodeInspectedValues.read("Job { id: 3 }"),
            NodeInspectedValues.read("{ a: 1 } trailing"),
            NodeInspectedValues.read("{ a: 'unclosed }"),
            NodeInspectedValues.read("{ a: 1 + 2 }")))
        .containsOnlyNulls();
  }
}
