package dev.heartlog.cli;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What llama.cpp's programs ({@code llama-server}, {@code llama-cli}) print on stderr, every line
 * of it at any level: by default without the level, a function's name and a message ({@code
 * llama_model_loader: loaded meta data with 33 key-value pairs ...}); with {@code --log-prefix}
 * ({@code LLAMA_LOG_PREFIX=1}, or {@code LLAMA_ARG_LOG_PREFIX=1}) with its level's letter first,
 * after the time since the start where {@code --log-timestamps} is given too ({@code
 * 0.02.396.005 E CUDA error: out of memory}).
 *
 * <p>With the prefix, a line gives its level (I INFO, W WARNING, E ERROR, D DEBUG), the message
 * after it, and {@code component} {@code llama.cpp}. Without it, only the lines of the reports
 * llama.cpp prints at info are read, by their shape, as INFO for them alone, as {@link
 * FfmpegLines} reads ffmpeg's: the model's metadata ({@code llama_model_loader: - kv 0: ...}),
 * its settings and sizes ({@code print_info: n_ctx_train = 131072}, {@code load_tensors: CUDA0
 * model buffer size = 4403.49 MiB}), the devices found ({@code ggml_cuda_init: found 1 CUDA
 * devices:} and a {@code Device 0: ...} line each), the build, and {@code llama-server}'s line
 * of each request ({@code srv log_server_r: request: POST /completion 127.0.0.1 200}, with its
 * {@code status}, as a web server's line of a request is). The rest keep the
 * stream's level: a warning cannot be told from the rest by its words. Before, every line was a
 * warning, a model's load a hundred or more. The message is the line without the prefix, and is
 * passed on as the line's text, so that ggml's abort with its prefix is read as one ({@link
 * GgmlLines}).
 */
final class LlamaCppLines extends RecordsOfLines {

  private static final String COMPONENT = "llama.cpp";
  private static final String WHISPER = "whisper_";

  /** {@code --log-prefix}'s: the time since the start ({@code M.SS.mmm.uuu}) where asked for, the level's letter. */
  private static final Pattern PREFIX = Pattern.compile("(?:\\d+\\.\\d{2}\\.\\d{3}\\.\\d{3} )?([IWED]) (.*)");

  /**
   * A line's first word as llama.cpp's functions begin their lines, a name with an underscore
   * ({@code llama_model_loader: }, {@code srv  load_model: }, {@code main: }), not a word of a
   * sentence ({@code I think: ...}).
   */
  private static final Pattern FUNCTION = Pattern.compile(
      "(?:(?:srv|slot|que) +[a-z_][a-z0-9_]*|[a-z][a-z0-9]*_[a-z0-9_]*|main|load|build):(?: .*)?");

  /**
   * The functions whose settings and sizes are reported as {@code name = value}, at info;
   * whisper.cpp's too, whose lines are llama.cpp's in shape ({@code whisper_model_load: n_vocab =
   * 51866}), with {@code component} {@code whisper.cpp}.
   */
  private static final Pattern SETTING = Pattern.compile(
      "(?:print_info|llm_load_print_meta|load_tensors|llm_load_tensors|llama_context|llama_new_context_with_model"
          + "|llama_kv_cache\\w*|llama_model_load_from_file_impl|system_info|load|graph_reserve|sched_reserve"
          + "|llama_init_from_model|llama_params_fit_impl|whisper_model_load|whisper_init_state"
          + "|whisper_init_with_params_no_state|whisper_backend_init\\w*):"
          + " +[A-Za-z_][\\w .()/,+-]* += .*");

  /** The model's metadata, at info: {@code llama_model_loader: - kv 0: general.architecture str = llama}. */
  private static final String METADATA = "llama_model_loader: - ";

  /** The devices found, at info: {@code ggml_cuda_init: found 1 CUDA devices:}, {@code ggml_cuda_init: GGML_CUDA_FORCE_MMQ: no}. */
  private static final Pattern DEVICES = Pattern.compile(
      "ggml_cuda_init: (?:found \\d+ \\w+ devices:|GGML_CUDA_\\w+: +\\w+)");

  /** A device found, below those lines: {@code   Device 0: NVIDIA GeForce RTX 4090, compute capability 8.9, VMM: yes}. */
  private static final Pattern DEVICE = Pattern.compile("  Device \\d+: .+, compute capability [\\d.]+, VMM: \\w+");

  /** The build, at info: {@code build: 5162 (2016f07b) with cc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0 for x86_64-linux-gnu}. */
  private static final Pattern BUILD = Pattern.compile("build: \\d+ \\(\\p{XDigit}+\\) with .+ for .+");

  /** {@code llama-server}'s line of a request, its status last. */
  private static final Pattern REQUEST = Pattern.compile("srv +log_server_r: request: \\S+ \\S+ \\S+ (\\d{3})");

  private boolean prefixed;   // the line before was one of llama.cpp's with its level's letter

  /** A line of llama.cpp's it reads; null for any other line. */
  ChildLineParser.Parsed parse(String line, String stream) {
    boolean after = prefixed;
    prefixed = false;
    if (line.length() < 6) {
      return null;
    }
    char first = line.charAt(0);
    if (first >= '0' && first <= '9' ? afterTime(line) > 0 : line.charAt(1) == ' ' && "IWED".indexOf(first) >= 0) {
      return withPrefix(line, stream, after);
    }
    if (first == ' ') {
      return line.startsWith("  Device ") && DEVICE.matcher(line).matches() ? info(line.strip(), stream) : null;
    }
    if (line.startsWith("srv ")) {
      Matcher request = REQUEST.matcher(line);
      return request.matches() ? request(line, request.group(1), stream) : null;
    }
    int colon = line.indexOf(':');
    if (colon < 4 || !isFunctionName(line, colon)) {
      return null;   // most lines
    }
    if (line.startsWith(METADATA) || line.indexOf(" = ", colon) > 0 && SETTING.matcher(line).matches()
        || line.startsWith("ggml_cuda_init: ") && DEVICES.matcher(line).matches()
        || line.startsWith("build: ") && BUILD.matcher(line).matches()) {
      return info(line, stream);
    }
    return null;
  }

  /** Whether the line's first {@code colon} ends a C function's name, in lower case, as llama.cpp's lines begin. */
  private static boolean isFunctionName(String line, int colon) {
    for (int i = 0; i < colon; i++) {
      char c = line.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c == '_' || c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the level's letter is after {@code --log-timestamps}' time since the start ({@code
   * 0.02.396.005 E ...}: minutes, seconds, milliseconds, microseconds); -1 where the line begins
   * with no such time (a date, a time of day).
   */
  private static int afterTime(String line) {
    int dot = 0;
    while (dot < line.length() && Character.isDigit(line.charAt(dot))) {
      dot++;
    }
    int letter = dot + 12;
    return line.length() > letter + 1 && line.charAt(dot) == '.' && line.charAt(dot + 3) == '.'
        && line.charAt(dot + 7) == '.' && line.charAt(letter - 1) == ' ' && line.charAt(letter + 1) == ' ' ? letter : -1;
  }

  /**
   * {@code llama-server}'s line of a request: INFO, as a web server's line of a request is
   * ({@link AccessLogLines}), its {@code status} for {@code logs --meta status=500}.
   */
  private static ChildLineParser.Parsed request(String line, String status, String stream) {
    RecordMetadata metadata = metadata(stream, COMPONENT);
    metadata.put("status", Integer.parseInt(status));
    return new ChildLineParser.Parsed(Level.INFO, line, null, metadata, false);
  }

  /**
   * A line of {@code --log-prefix}'s shape: read where the time since the start is given, its
   * message is one of llama.cpp's functions' or a GPU backend's error, or it is indented below a
   * line read so ({@code E   current device: 0, ...}); "I think so" is no such line.
   */
  private ChildLineParser.Parsed withPrefix(String line, String stream, boolean after) {
    Matcher matcher = PREFIX.matcher(line);
    if (!matcher.matches()) {
      return null;
    }
    String message = matcher.group(2);
    boolean timed = matcher.start(1) > 0;
    if (!timed && !(after && message.startsWith(" ")) && !FUNCTION.matcher(message).matches()
        && !GgmlLines.isBackendError(message)) {
      return null;
    }
    prefixed = true;
    Level level = switch (matcher.group(1).charAt(0)) {
      case 'I' -> Level.INFO;
      case 'W' -> Level.WARNING;
      case 'E' -> Level.ERROR;
      default -> Level.DEBUG;
    };
    return new ChildLineParser.Parsed(level, message, null, metadata(stream, COMPONENT), false);
  }

  /** A line at info by its shape: a line after it that names no level keeps the stream's. */
  private static ChildLineParser.Parsed info(String message, String stream) {
    String component = message.startsWith(WHISPER) ? "whisper.cpp" : COMPONENT;
    return new ChildLineParser.Parsed(Level.INFO, message, null, metadata(stream, component), false, null,
        ChildLineParser.TaskScope.CURRENT, false, true, true);
  }
}
