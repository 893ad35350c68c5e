package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of the inference runtimes a GPU worker loads its models with, which log in their own
 * form and a one-letter level (V verbose, I, W, E, F fatal): ONNX Runtime on stderr, {@code
 * 2022-12-20 12:35:32.566080649 [W:onnxruntime:, session_state.cc:1030
 * VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned to the preferred execution
 * providers ...}; TensorRT's logger as trtexec and its samples print it, {@code
 * [12/30/2022-16:53:21] [W] [TRT] onnx2trt_utils.cpp:374: Your ONNX model has been generated with
 * INT64 weights ...}, and trtexec's own lines without {@code [TRT]}; and as its Python bindings
 * print it, {@code [TRT]} before the level ({@code [11/10/2022-15:02:13] [TRT] [W] Skipping
 * tactic 1 ...}); TensorRT-LLM's ({@link #TENSOR_RT_LLM}). The forms were shaped from the
 * runtimes' output quoted in public reports and their sources: none can be installed here.
 */
final class InferenceRuntimeLines {

  /** ONNX Runtime's: its time to the nanosecond (seven digits on Windows), level, logger and id, file, line, function. */
  private static final Pattern ONNX_RUNTIME = Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{1,9} \\[(?<level>[VIWEF]):(?<logger>[^:\\]\\s]{1,64}):[^,\\]]{0,64}, "
          + "(?<file>[^\\s:\\]]{1,200}):(?<line>\\d{1,9}) (?<function>[^\\]]{1,300})\\] (?<message>.*)");

  /** TensorRT's: the time, the level in brackets, {@code [TRT]} for the library's own lines. */
  private static final Pattern TENSOR_RT = Pattern.compile(
      "\\[\\d\\d/\\d\\d/\\d{4}-\\d\\d:\\d\\d:\\d\\d\\] \\[(?<level>[VIWEF])\\] (?:\\[(?<component>TRT)\\] )?(?<message>.*)");

  /**
   * TensorRT's as its Python bindings' {@code trt.Logger} prints it, {@code [TRT]} before the
   * level: {@code [11/10/2022-15:02:13] [TRT] [E] 1: [defaultAllocator.cpp::allocate::20] Error
   * Code 1: Cuda Runtime (out of memory)}.
   */
  private static final Pattern TENSOR_RT_PYTHON = Pattern.compile(
      "\\[\\d\\d/\\d\\d/\\d{4}-\\d\\d:\\d\\d:\\d\\d\\] \\[(?<component>TRT|TRT-LLM)\\] \\[(?<level>[VIWEF])\\] (?<message>.*)");

  /**
   * TensorRT-LLM's C++ logger, and its Python logger since: {@code [TensorRT-LLM][WARNING] ...},
   * {@code [TensorRT-LLM] [INFO] ...}, the rank after the level where it logs one ({@code
   * [TensorRT-LLM][INFO][1] ...}). Its Python logger's older form is TensorRT's with {@code
   * [TRT-LLM]} ({@code [12/07/2026-12:00:00] [TRT-LLM] [I] Compute capability: (9, 0)}).
   */
  private static final Pattern TENSOR_RT_LLM = Pattern.compile(
      "\\[(?<component>TensorRT-LLM)\\] ?\\[(?<level>TRACE|DEBUG|INFO|WARNING|ERROR)\\](?:\\[(?<rank>\\d{1,6})\\])? (?<message>.*)");

  private InferenceRuntimeLines() {}

  /**
   * A line of ONNX Runtime's or TensorRT's: its level (V is DEBUG, F CRITICAL), the message after
   * the prefix, and where it was logged: ONNX Runtime's logger as {@code logger} and its {@code
   * file}, {@code line} and {@code function}; {@code TRT} as {@code component} for TensorRT's own
   * lines. Their times have no zone, so the record keeps the time the line came. Before, each
   * line on stderr was a warning (ONNX Runtime's failure to load its CUDA provider too), and on
   * stdout INFO. Null for any other line.
   */
  static ChildLineParser.Parsed parse(String line, RecordMetadata metadata, Predicate<String> endsTask) {
    Matcher matcher;
    if (line.length() > 32 && line.charAt(0) == '[' && line.charAt(3) == '/' && line.charAt(22) == '[') {
      matcher = (line.startsWith("[TRT", 22) ? TENSOR_RT_PYTHON : TENSOR_RT).matcher(line);
    } else if (line.startsWith("[TensorRT-LLM]")) {
      matcher = TENSOR_RT_LLM.matcher(line);
    } else if (line.length() > 40 && line.charAt(4) == '-' && line.indexOf(":onnxruntime:", 20) > 0) {
      matcher = ONNX_RUNTIME.matcher(line);
    } else {
      return null;
    }
    if (!matcher.matches()) {
      return null;
    }
    String named = matcher.group("level");
    Level level = named.length() == 1 ? LevelNames.letterLevel(named.charAt(0)) : LevelNames.levelName(named);
    if (matcher.pattern() == ONNX_RUNTIME) {
      metadata.put("logger", matcher.group("logger"));
      metadata.put("file", matcher.group("file"));
      metadata.put("line", Integer.parseInt(matcher.group("line")));
      metadata.put("function", matcher.group("function"));
    } else if (matcher.group("component") != null) {
      // TensorRT-LLM's either way, so that --levels TensorRT-LLM=WARNING covers both its loggers
      metadata.put("component", matcher.group("component").equals("TRT-LLM") ? "TensorRT-LLM" : matcher.group("component"));
      if (matcher.pattern() == TENSOR_RT_LLM && matcher.group("rank") != null) {
        metadata.put("rank", Integer.parseInt(matcher.group("rank")));
      }
    }
    String message = matcher.group("message");
    return new ChildLineParser.Parsed(level, message, null, metadata, endsTask.test(message));
  }
}
