package dev.heartlog.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line of Serilog's compact JSON (CLEF: {@code CompactJsonFormatter} and {@code
 * RenderedCompactJsonFormatter}), the JSON a .NET worker writes with Serilog: {@code {"@t":
 * "2026-12-06T05:00:00.1234567Z", "@mt": "Rendered {Frames} frames of {TaskId}", "@l": "Error",
 * "@x": "System.InvalidOperationException: ...", "Frames": 81, "TaskId": "t-42", "SourceContext":
 * "Render.Worker"}}. Its fields are laid out as other structured loggers name them, for {@link
 * StructuredLine} to read: the level ({@code @l}, which Serilog leaves out for Information), the
 * message ({@code @m} where the formatter rendered it, else the template {@code @mt} rendered as
 * Serilog renders it, its properties' values in place of their names), the time ({@code @t}), the
 * exception as .NET prints it ({@code @x}) and the logger ({@code SourceContext}); the template
 * goes into {@code message_template}, the event's id ({@code @i}) into {@code event_id}, and the
 * properties stay, a {@code TaskId} among them the task.
 */
final class SerilogCompactRecord {

  private SerilogCompactRecord() {}

  /** The fields of a CLEF line laid out flat; null for an object that is not one. */
  static Map<String, Object> flatten(Map<String, Object> fields) {
    if (!(fields.get("@t") instanceof String) || !(fields.get("@mt") instanceof String || fields.get("@m") instanceof String)) {
      return null;
    }
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("level", fields.get("@l") instanceof String level ? level : "Information");
    String template = fields.get("@mt") instanceof String text ? text : null;
    List<?> renderings = fields.get("@r") instanceof List<?> list ? list : List.of();
    flat.put("message", fields.get("@m") instanceof String rendered ? rendered : render(template, fields, renderings));
    flat.put("time", fields.get("@t"));
    flat.put("exception", fields.get("@x"));
    flat.put("logger", fields.get("SourceContext"));
    flat.put("task_id", fields.get("TaskId"));
    flat.put("message_template", template);
    flat.put("event_id", fields.get("@i"));
    flat.put("trace_id", fields.get("@tr"));
    flat.put("span_id", fields.get("@sp"));
    fields.forEach((key, value) -> {
      if (key.startsWith("@@")) {
        flat.putIfAbsent(key.substring(1), value);   // a property of the worker's own named "@..."
      } else if (!key.startsWith("@") && !key.equals("SourceContext") && !key.equals("TaskId")) {
        flat.putIfAbsent(key, value);
      }
    });
    flat.values().removeIf(value -> value == null);
    return flat;
  }

  /**
   * A message template rendered as Serilog renders one: each {@code {Name}} (or {@code {@Name}},
   * {@code {$Name}}, {@code {Name,8}}) replaced by the property's value, a text in quotes, as
   * Serilog writes it; one with a format ({@code {Elapsed:0.00}}, {@code {Name:l}}) by what
   * Serilog rendered of it, which CLEF gives in {@code @r}, in the template's order; a name with
   * no property kept as written; {@code {{} and {@code }}} a brace. An alignment ({@code ,8})
   * pads nothing here.
   */
  static String render(String template, Map<String, Object> properties, List<?> renderings) {
    StringBuilder text = new StringBuilder(template.length() + 32);
    int formatted = 0;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
        text.append(c);
        i += 2;
        continue;
      }
      int close = c == '{' ? template.indexOf('}', i + 1) : -1;
      String hole = close < 0 ? null : template.substring(i + 1, close);
      String name = hole == null ? null : name(hole);
      if (name == null) {
        text.append(c);
        i++;
        continue;
      }
      if (hole.indexOf(':') >= 0 && formatted < renderings.size()) {
        text.append(renderings.get(formatted++));
      } else if (properties.containsKey(name)) {
        appendValue(text, properties.get(name));
      } else {
        text.append('{').append(hole).append('}');
      }
      i = close + 1;
    }
    return text.toString();
  }

  /** The property a template's hole names ({@code Frames} of {@code @Frames,8:0.00}); null where it is none. */
  private static String name(String hole) {
    int start = !hole.isEmpty() && (hole.charAt(0) == '@' || hole.charAt(0) == '$') ? 1 : 0;
    int end = start;
    while (end < hole.length() && (Character.isLetterOrDigit(hole.charAt(end)) || hole.charAt(end) == '_')) {
      end++;
    }
    if (end == start || end < hole.length() && hole.charAt(end) != ',' && hole.charAt(end) != ':') {
      return null;
    }
    return hole.substring(start, end);
  }

  /**
   * A value as Serilog writes it into a message: a text in quotes, its own quotes after a
   * backslash, a boolean as .NET writes it ({@code True}), a list in brackets, an object as
   * {@code Type { Name: value }} by its {@code $type}.
   */
  private static void appendValue(StringBuilder text, Object value) {
    if (value instanceof String string) {
      text.append('"').append(string.replace("\"", "\\\"")).append('"');
    } else if (value instanceof Boolean bool) {
      text.append(bool ? "True" : "False");
    } else if (value instanceof List<?> list) {
      text.append('[');
      for (int i = 0; i < list.size(); i++) {
        text.append(i == 0 ? "" : ", ");
        appendValue(text, list.get(i));
      }
      text.append(']');
    } else if (value instanceof Map<?, ?> object) {
      if (object.get("$type") instanceof String type) {
        text.append(type).append(' ');
      }
      text.append("{ ");
      boolean first = true;
      for (Map.Entry<?, ?> entry : object.entrySet()) {
        if (!"$type".equals(entry.getKey())) {
          text.append(first ? "" : ", ").append(entry.getKey()).append(": ");
          appendValue(text, entry.getValue());
          first = false;
        }
      }
      text.append(first ? "}" : " }");
    } else {
      text.append(value);   // a number as JSON wrote it; null as Serilog writes it, "null"
    }
  }
}
