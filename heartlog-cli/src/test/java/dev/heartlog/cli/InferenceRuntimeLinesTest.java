package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's and TensorRT's lines, as {@link ChildLineParser} reads them ({@link
 * InferenceRuntimeLines}). The lines are as public reports quote the runtimes' output (ONNX
 * Runtime 1.13 to 1.16 on Linux and Windows, TensorRT 8.4's trtexec); neither runtime can be
 * installed here, so none was captured.
 */
class InferenceRuntimeLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void onnxRuntimesLinesGiveTheirLevelAndWhereTheyWereLogged() {
    ChildLineParser.Parsed warning = parse("2022-12-20 12:35:32.566080649 [W:onnxruntime:, session_state.cc:1030 "
        + "VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned to the preferred execution providers");
    ChildLineParser.Parsed cuda = parse("2024-01-02 10:00:00.000000000 [E:onnxruntime:Default, provider_bridge_ort.cc:1480 "
        + "TryGetProviderInfo_CUDA] Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.11: "
        + "cannot open shared object file: No such file or directory");
    ChildLineParser.Parsed windows = parse("2024-12-05 15:05:45.5713727 [W:onnxruntime:, session_state.cc:1168 "
        + "onnxruntime::VerifyEachNodeIsAssignedToAnEp] Rerunning with verbose output on a non-minimal build will show node assignments.");

    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("Some nodes were not assigned to the preferred execution providers");
    assertThat(warning.metadata()).containsEntry("logger", "onnxruntime").containsEntry("file", "session_state.cc")
        .containsEntry("line", 1030).containsEntry("function", "VerifyEachNodeIsAssignedToAnEp");
    assertThat(warning.time()).as("no zone: the record keeps the time the line came").isNull();
    assertThat(cuda.level()).as("on stderr it was a warning").isEqualTo(Level.ERROR);
    assertThat(cuda.message()).startsWith("Failed to load library libonnxruntime_providers_cuda.so");
    assertThat(windows.metadata()).containsEntry("function", "onnxruntime::VerifyEachNodeIsAssignedToAnEp");
    assertThat(parse("2023-05-25 00:21:20.004017871 [V:onnxruntime:, session_state.cc:1116 VerifyEachNodeIsAssignedToAnEp] "
        + "Node placements").level()).isEqualTo(Level.DEBUG);
    assertThat(parse("2023-05-25 00:21:19.287699117 [I:onnxruntime:, fallback_cpu_capability.cc:157 GetCpuPreferredNodes] "
        + "ORT optimization- Force fallback to CPU execution for node: /Gather_1").level()).isEqualTo(Level.INFO);
  }

  /**
   * TensorRT-LLM's C++ logger ({@code getPrefix} in its {@code logger.h}) and its Python logger's
   * two forms, as its sources and tests print them. Before, the prefix stayed in the message, and
   * the older Python form was a warning on stderr whatever its level.
   */
  @Test
  void tensorRtLlmsLinesGiveTheirLevelRankAndMessage() {
    ChildLineParser.Parsed warning = parse("[TensorRT-LLM][WARNING] Parameter max_tokens_in_paged_kv_cache is deprecated");
    ChildLineParser.Parsed ranked = parse("[TensorRT-LLM][ERROR][1] Assertion failed: mpiSize == tp * pp");
    ChildLineParser.Parsed python = parse("[TensorRT-LLM] [INFO] [Autotuner] Profiled runner=AllReduceRunner(tp_size=8)");
    ChildLineParser.Parsed older = parse("[12/07/2026-12:00:00] [TRT-LLM] [I] Compute capability: (9, 0)");

    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).isEqualTo("Parameter max_tokens_in_paged_kv_cache is deprecated");
    assertThat(warning.metadata()).containsEntry("component", "TensorRT-LLM").doesNotContainKey("rank");
    assertThat(ranked.level()).isEqualTo(Level.ERROR);
    assertThat(ranked.message()).isEqualTo("Assertion failed: mpiSize == tp * pp");
    assertThat(ranked.metadata()).containsEntry("rank", 1);
    assertThat(python.level()).isEqualTo(Level.INFO);
    assertThat(python.message()).isEqualTo("[Autotuner] Profiled runner=AllReduceRunner(tp_size=8)");
    assertThat(older.level()).as("on stderr it was a warning").isEqualTo(Level.INFO);
    assertThat(older.message()).isEqualTo("Compute capability: (9, 0)");
    assertThat(older.metadata()).as("one component for both loggers").containsEntry("component", "TensorRT-LLM");
    assertThat(parse("[TensorRT-LLM] TensorRT LLM version: 0.21.0").message()).as("no level: whole")
        .isEqualTo("[TensorRT-LLM] TensorRT LLM version: 0.21.0");
  }

  @Test
  void tensorRtsLinesGiveTheirLevelAndTheLibrarysAreMarked() {
    ChildLineParser.Parsed library = parse("[12/30/2022-16:53:21] [W] [TRT] onnx2trt_utils.cpp:374: Your ONNX model has "
        + "been generated with INT64 weights, while TensorRT does not natively support INT64.");
    ChildLineParser.Parsed trtexec = parse("[12/30/2022-16:53:21] [E] Error[4]: [network.cpp::validate::2789] Error Code 4: "
        + "Internal Error (Network must have at least one output)");

    assertThat(library.level()).isEqualTo(Level.WARNING);
    assertThat(library.message()).startsWith("onnx2trt_utils.cpp:374: Your ONNX model");
    assertThat(library.metadata()).containsEntry("component", "TRT");
    assertThat(trtexec.level()).isEqualTo(Level.ERROR);
    assertThat(trtexec.message()).startsWith("Error[4]: [network.cpp::validate::2789]");
    assertThat(trtexec.metadata()).doesNotContainKey("component");
    assertThat(parse("[12/30/2022-16:53:21] [V] [TRT] Parsing node: /transformer/h.14/attn/Shape_9 [Shape]").level())
        .isEqualTo(Level.DEBUG);
    assertThat(parse("[12/30/2022-16:53:21] [I] === Model Options ===").level()).isEqualTo(Level.INFO);
    assertThat(parse("[12/30/2022-16:53:21] [F] [TRT] out of memory").level()).isEqualTo(Level.CRITICAL);
  }

  /**
   * TensorRT's Python bindings print {@code [TRT]} before the level (lines as quoted in
   * mmdeploy's issue 1350 and TensorRT's issues). Before, none was read: each was a plain line of
   * its stream, and a run of them one warning, its errors in it.
   */
  @Test
  void tensorRtsPythonLinesGiveTheirLevelWithTheLibraryNamedFirst() {
    ChildLineParser.Parsed error = parse("[11/10/2022-15:02:13] [TRT] [E] 1: [defaultAllocator.cpp::allocate::20] "
        + "Error Code 1: Cuda Runtime (out of memory)");
    ChildLineParser.Parsed warning = parse("[11/10/2022-15:02:13] [TRT] [W] Requested amount of GPU memory (4294967296 bytes) "
        + "could not be allocated.");

    assertThat(error.level()).isEqualTo(Level.ERROR);
    assertThat(error.message()).isEqualTo("1: [defaultAllocator.cpp::allocate::20] Error Code 1: Cuda Runtime (out of memory)");
    assertThat(error.metadata()).containsEntry("component", "TRT");
    assertThat(error.plain()).as("a record of its own, not a further line of the one before").isFalse();
    assertThat(warning.level()).isEqualTo(Level.WARNING);
    assertThat(warning.message()).startsWith("Requested amount of GPU memory");
    assertThat(parse("[11/10/2022-15:02:13] [TRT] [I] [MemUsageChange] Init CUDA: CPU +2, GPU +0, now: CPU 150, GPU 1024 (MiB)")
        .level()).isEqualTo(Level.INFO);
    String other = "[11/10/2022-15:02:13] [TRT] [X] not a level";
    assertThat(parse(other).message()).isEqualTo(other);
  }

  @Test
  void otherLinesOfTheirShapeAreNotTheirs() {
    String bracketed = "[12/30/2022-16:53:21] [X] not a level";
    String dated = "2022-12-20 12:35:32.566080649 [W:something-else:, a.cc:1 F] x";
    assertThat(parse(bracketed).message()).isEqualTo(bracketed);
    assertThat(parse(dated).message()).isEqualTo(dated);
  }

  private ChildLineParser.Parsed parse(String line) {
    return parser.parse(line, Level.WARNING, "stderr");
  }
}
