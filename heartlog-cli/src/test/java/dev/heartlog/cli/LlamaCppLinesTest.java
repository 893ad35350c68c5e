package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link LlamaCppLines} reads off the lines llama.cpp's programs print, as its issues quote
 * them (llama.cpp cannot be built here).
 */
class LlamaCppLinesTest {

  private final LlamaCppLines lines = new LlamaCppLines();

  @Test
  void withItsPrefixALineGivesItsLevelAndTheMessageAfterIt() {
    ChildLineParser.Parsed error = lines.parse("0.02.396.005 E CUDA error: out of memory", "stderr");
    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("CUDA error: out of memory");
    assertThat(error.metadata()).containsEntry("component", "llama.cpp").containsEntry("stream", "stderr");
    assertThat(lines.parse("0.02.396.010 E   current device: 0, in function f at /app/ggml-cuda.cu:2341", "stderr")
        .message()).as("kept indented, as ggml's abort is read").startsWith("  current device: 0");
    assertThat(lines.parse("W llama_context: n_ctx_per_seq (4096) < n_ctx_train (131072)", "stderr").level())
        .isEqualTo(Level.WARNING);
    assertThat(lines.parse("I srv  log_server_r: request: GET /health 127.0.0.1 200", "stderr").level())
        .isEqualTo(Level.INFO);
    assertThat(lines.parse("D slot update_slots: id  0 | task 3 | kv cache rm [0, end)", "stderr").level())
        .isEqualTo(Level.DEBUG);
    assertThat(lines.parse("E main: error: unable to load model", "stderr").levelByShape())
        .as("its own level: a line after it is no more at it").isFalse();
  }

  @Test
  void withoutTheTimeALetterAndASpaceAreTheLevelOnlyBeforeOneOfItsFunctionsOrBelowOne() {
    assertThat(lines.parse("I think so", "stderr")).isNull();
    assertThat(lines.parse("I think: yes", "stderr")).isNull();
    assertThat(lines.parse("E   indented, after no line of llama.cpp's", "stderr")).isNull();
    assertThat(lines.parse("E CUDA error: out of memory", "stderr").level()).isEqualTo(Level.ERROR);
    assertThat(lines.parse("E   current device: 0, in function f at /app/ggml-cuda.cu:650", "stderr").level())
        .isEqualTo(Level.ERROR);
    assertThat(lines.parse("E   cudaMalloc((void **) &dev_ptr, size)", "stderr").message())
        .isEqualTo("  cudaMalloc((void **) &dev_ptr, size)");
  }

  @Test
  void withoutItsPrefixItsReportsAtInfoAreInfoByTheirShapeAndTheRestAreNotRead() {
    List<String> reports = List.of(
        "llama_model_loader: - kv   0:                       general.architecture str              = llama",
        "llama_model_loader: - type  f32:   66 tensors",
        "print_info: n_ctx_train      = 131072",
        "load_tensors:        CUDA0 model buffer size =  4403.49 MiB",
        "llama_context: n_ctx         = 131072",
        "llama_kv_cache_unified:      CUDA0 KV buffer size =  2048.00 MiB",
        "system_info: n_threads = 16 (n_threads_batch = 16) / 32 | CUDA : ARCHS = 890 |",
        "ggml_cuda_init: GGML_CUDA_FORCE_MMQ:    no",
        "ggml_cuda_init: found 2 CUDA devices:",
        "  Device 0: NVIDIA TITAN RTX, compute capability 7.5, VMM: yes",
        "build: 5162 (2016f07b) with cc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0 for x86_64-linux-gnu",
        "whisper_model_load: n_vocab       = 51866",
        "whisper_init_with_params_no_state: use gpu    = 1");
    for (String report : reports) {
      ChildLineParser.Parsed parsed = lines.parse(report, "stderr");
      assertThat(parsed).as(report).isNotNull();
      assertThat(parsed.level()).as(report).isEqualTo(Level.INFO);
      assertThat(parsed.levelByShape()).as(report).isTrue();
      assertThat(parsed.message()).as(report).isEqualTo(report.strip());
    }
    assertThat(lines.parse("whisper_model_load: n_vocab       = 51866", "stderr").metadata())
        .containsEntry("component", "whisper.cpp");
    // A warning and an error say so in words a reader cannot tell from the rest's: the stream's level.
    assertThat(List.of(
        "llama_context: n_ctx_per_seq (4096) < n_ctx_train (131072) -- the full capacity of the model will not be utilized",
        "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 16384.00 MiB on device 0: cudaMalloc failed: out of memory",
        "ggml_cuda_init: failed to initialize CUDA: unknown error",
        "main: exiting due to model loading error",
        "main: n_ctx = 4096 is less than the prompt",
        "whisper_model_load: ERROR not all tensors loaded from model file",
        "2026-12-07 12:00:00 INFO a = b",
        "x = 1",
        "  Device 0 is gone",
        ""))
        .allSatisfy(line -> assertThat(lines.parse(line, "stderr")).as(line).isNull());
  }

  @Test
  void llamaServersLineOfARequestIsInfoWithItsStatus() {
    // as a web server's line of a request (AccessLogLines): the failed request's error is its own
    ChildLineParser.Parsed ok = lines.parse("srv  log_server_r: request: POST /completion 127.0.0.1 200", "stderr");
    assertThat(ok.level()).isEqualTo(Level.INFO);
    assertThat(ok.metadata()).containsEntry("status", 200).containsEntry("component", "llama.cpp");
    ChildLineParser.Parsed failed = lines.parse("srv  log_server_r: request: POST /completion 127.0.0.1 500", "stderr");
    assertThat(failed.level()).isEqualTo(Level.INFO);
    assertThat(failed.metadata()).containsEntry("status", 500);
  }
}
