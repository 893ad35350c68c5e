package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.ErrorKind;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python workers of GPU fleets, run for real under {@code heartlog run}, logging in the formats
 * of the libraries they are built on: vLLM's logger (and the inference servers that took it), and
 * the format of Hugging Face's example scripts. Python's {@code logging} prints them here,
 * configured as those libraries configure it.
 */
@Timeout(60)
class WrappedPythonLibrariesTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path folder;
  private String url;
  private Store store;

  @BeforeEach
  void python() {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    url = TestDatabase.migratedUrl();
    store = Store.open(url, null, null);
  }

  private Cli.Result heartlogRun(String worker, String... command) {
    String[] args = {"run", "--worker", worker, "--db-url", url, "--home", folder.resolve("home").toString()};
    String[] all = new String[args.length + command.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(command, 0, all, args.length, command.length);
    return Cli.run(all);
  }

  @Test
  void aVllmWorkersRecordOfSeveralLinesAndItsLoggedExceptionAreOneRecordEachAndEachLineLosesItsPrefix() throws Exception {
    // vLLM's format and date, and its NewLineFormatter, which repeats the prefix on every further
    // line of a record after "\r\n"; an engine process's lines come with its name in front.
    Path worker = Files.writeString(folder.resolve("serve.py"), """
        import logging, sys

        class NewLineFormatter(logging.Formatter):
            def format(self, record):
                record.fileinfo = record.filename
                msg = logging.Formatter.format(self, record)
                if record.message != "":
                    parts = msg.split(record.message)
                    msg = msg.replace("\\n", "\\r\\n" + parts[0])
                return msg

        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(NewLineFormatter(
            "%(levelname)s %(asctime)s [%(fileinfo)s:%(lineno)d] %(message)s", datefmt="%m-%d %H:%M:%S"))
        log = logging.getLogger("vllm.engine")
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.info("Engine config:\\n  model=wan2.1")
        for step in range(2):
            log.error("Step failed")
        try:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        except RuntimeError:
            log.exception("Error in model execution:\\n  batch 7")
        print("(EngineCore_DP0 pid=4242) Traceback (most recent call last):")
        print('(EngineCore_DP0 pid=4242)   File "core.py", line 577, in run_engine_core')
        print("(EngineCore_DP0 pid=4242) torch.OutOfMemoryError: CUDA out of memory.")
        print("(APIServer pid=1) INFO 12-02 22:00:04 [api_server.py:1] Shutting down")
        """);

    Cli.Result result = heartlogRun("wrapped-vllm", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-vllm").stream()
        .filter(r -> !r.message().startsWith("the worker process exited")).toList();
    // A message of two lines is one record, where it was two (an ERROR's two errors); a loop's
    // records, of the same prefix, stay records of their own.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Engine config:\n  model=wan2.1"),
        tuple("ERROR", "Step failed"), tuple("ERROR", "Step failed"),
        tuple("ERROR", "Error in model execution:\n  batch 7"),
        tuple("ERROR", "torch.OutOfMemoryError: CUDA out of memory."),
        tuple("INFO", "Shutting down"));
    assertThat(records.get(0).metadataJson()).contains("\"file\": \"serve.py\"", "\"line\": 18");
    assertThat(records.get(3).exception()).startsWith("Traceback (most recent call last):\n")
        .contains("line 22, in <module>").endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
    assertThat(records.get(4).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("torch.OutOfMemoryError: CUDA out of memory.");
    assertThat(records.get(4).metadataJson()).contains("\"process\": \"EngineCore_DP0 pid=4242\"");
    assertThat(records.get(5).metadataJson()).contains("\"process\": \"APIServer pid=1\"", "\"file\": \"api_server.py\"");
  }

  @Test
  void pyTorchsLoggersRecordsOfSeveralLinesAreOneRecordEachAndTheirTracebacksTheirs() throws Exception {
    // PyTorch's TorchLogsFormatter (torch/_logging/_internal.py), in short: its prefix on every
    // line of a record, the traceback's included; glog's shape since 2024, and before it the time
    // in brackets, the logger and the level in brackets, as torchrun still prints on many fleets.
    Path worker = Files.writeString(folder.resolve("train.py"), """
        import logging

        class TorchLogsFormatter(logging.Formatter):
            def __init__(self, older):
                super().__init__()
                self.older = older

            def format(self, record):
                text = record.getMessage()
                if record.exc_info:
                    text += "\\n" + self.formatException(record.exc_info)
                compile_id = getattr(record, "compile_id", None)
                traceid = f" [{compile_id}]" if compile_id else ""
                if self.older:
                    prefix = f"[{self.formatTime(record)}]{traceid} {record.name}: [{record.levelname}]"
                else:
                    letter = "V" if record.levelname == "DEBUG" else record.levelname[0]
                    prefix = (f"{letter}{self.formatTime(record, '%m%d %H:%M:%S')}.{int(record.msecs * 1000):06d} "
                              f"{record.process} torch/{record.filename}:{record.lineno}]{traceid}")
                return "\\n".join(f"{prefix} {line}" for line in text.split("\\n"))

        def logger(name, older):
            handler = logging.StreamHandler()
            handler.setFormatter(TorchLogsFormatter(older))
            log = logging.getLogger(name)
            log.addHandler(handler)
            log.setLevel(logging.INFO)
            return log

        logger("torch.distributed.run", True).warning(
            "\\n*****\\nSetting OMP_NUM_THREADS environment variable for each process to be 1 in default\\n*****")
        dynamo = logger("torch._dynamo", False)
        try:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        except RuntimeError:
            logger("torch._inductor", False).exception("Error while compiling graph", extra={"compile_id": "1/0"})
        try:
            raise NotImplementedError("generator")
        except NotImplementedError:
            dynamo.warning("WON'T CONVERT forward train.py line 7\\ndue to:", exc_info=True)
        dynamo.info("compiled forward")
        """);

    Cli.Result result = heartlogRun("wrapped-torch", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-torch");
    // Before, these were 15 records: the banner four warnings, the first empty, and the inductor's
    // error five ERROR records, one for each line of its traceback.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "*****\nSetting OMP_NUM_THREADS environment variable for each process to be 1 in default\n*****"),
        tuple("ERROR", "Error while compiling graph"),
        tuple("WARNING", "WON'T CONVERT forward train.py line 7\ndue to:"),
        tuple("INFO", "compiled forward"));
    assertThat(records.get(0).metadataJson()).contains("\"logger\": \"torch.distributed.run\"");
    assertThat(records.get(1).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
    assertThat(records.get(1).metadataJson()).contains("\"file\": \"torch/train.py\"", "\"compile_id\": \"1/0\"");
    assertThat(records.get(2).exception()).as("the warning's traceback, not an error of its own")
        .startsWith("Traceback (most recent call last):\n").endsWith("NotImplementedError: generator");
  }

  @Test
  void weightsAndBiasesReportsAreInfoAndItsTablesOneRecordEach() throws Exception {
    // What wandb's client prints on stderr, its lines as public reports of its output show them
    // (not wandb's own: no wandb here), around a line of the worker's own.
    Path worker = Files.writeString(folder.resolve("train.py"), """
        import sys
        sys.stderr.write("wandb: Currently logged in as: render-bot. Use `wandb login --relogin` to force relogin\\n")
        sys.stderr.write("wandb: WARNING Tried to log to step 817 that is less than the current step 821.\\n")
        sys.stderr.flush()
        print("epoch 1 done", flush=True)
        sys.stderr.write("wandb: \\nwandb: Run summary:\\nwandb:   train/loss 0.123\\nwandb:        epoch 1\\nwandb: \\n")
        """);

    Cli.Result result = heartlogRun("wrapped-wandb", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-wandb");
    // Before, five warnings with "wandb: " in front (the table's rows too), two of them "wandb:" alone.
    assertThat(records).filteredOn(r -> r.metadataJson().contains("\"component\": \"wandb\""))
        .extracting(StoredRecord::level, StoredRecord::message).containsExactly(
            tuple("INFO", "Currently logged in as: render-bot. Use `wandb login --relogin` to force relogin"),
            tuple("WARNING", "Tried to log to step 817 that is less than the current step 821."),
            tuple("INFO", "Run summary:\n  train/loss 0.123\n       epoch 1"));
    assertThat(records).extracting(StoredRecord::message).contains("epoch 1 done").hasSize(4);
  }

  @Test
  void lightningsReportsAreInfoAndItsModelsSummaryOneRecord() throws Exception {
    // PyTorch Lightning's logger as it configures it, on stderr with the message alone; its
    // reports as public reports of its output show them (no Lightning here).
    Path worker = Files.writeString(folder.resolve("train.py"), """
        import logging
        log = logging.getLogger("lightning.pytorch")
        log.addHandler(logging.StreamHandler())
        log.setLevel(logging.INFO)
        log.propagate = False
        log.info("GPU available: True (cuda), used: True")
        log.info("Initializing distributed: GLOBAL_RANK: 0, MEMBER: 1/2")
        log.info(f"{'-' * 100}\\n"
                 f"distributed_backend=nccl\\n"
                 f"All distributed processes registered. Starting with 2 processes\\n"
                 f"{'-' * 100}\\n")
        log.info("LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]")
        log.info("\\n  | Name  | Type     | Params | Mode\\n----------------\\n0 | model | NetCNN   | 140 K  | train"
                 "\\n----------------\\n140 K     Trainable params\\n140 K     Total params")
        log.warning("a warning of the worker's own")
        """);

    Cli.Result result = heartlogRun("wrapped-lightning", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-lightning");
    // Before, seven warnings: the two reports (the summary's heading joined to the second) and one
    // for each of the five lines below the heading; and the banner's rules and backend three more.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "GPU available: True (cuda), used: True"),
        tuple("INFO", "Initializing distributed: GLOBAL_RANK: 0, MEMBER: 1/2"),
        tuple("INFO", "distributed_backend=nccl\nAll distributed processes registered. Starting with 2 processes"),
        tuple("INFO", "LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]"),
        tuple("INFO", "  | Name  | Type     | Params | Mode\n----------------\n0 | model | NetCNN   | 140 K  | train"
            + "\n----------------\n140 K     Trainable params\n140 K     Total params"),
        tuple("WARNING", "a warning of the worker's own"));
    assertThat(records.get(2).metadataJson()).contains("\"component\": \"lightning\"");
    assertThat(records.get(4).metadataJson()).contains("\"component\": \"lightning\"");
  }

  @Test
  void anSglangSchedulersCrashIsOneErrorWithItsTraceback() throws Exception {
    // SGLang's format, and how its scheduler logs the exception that ends it (sglang/srt/managers/
    // scheduler.py), by Python's logging; on stderr, as SGLang's basicConfig puts it.
    Path worker = Files.writeString(folder.resolve("serve.py"), """
        import logging, traceback
        logging.basicConfig(level=logging.INFO, format="[%(asctime)s TP0] %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
        log = logging.getLogger("sglang.srt.managers.scheduler")
        log.info("Load weight begin. avail mem=22.76 GB")
        try:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        except RuntimeError:
            log.error(f"Scheduler hit an exception: {traceback.format_exc()}")
        """);

    Cli.Result result = heartlogRun("wrapped-sglang", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-sglang");
    // Before, three warnings, the time and TP0 in each message, and no error.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "Load weight begin. avail mem=22.76 GB"),
        tuple("ERROR", "Scheduler hit an exception:"));
    assertThat(records.get(1).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
    assertThat(records.get(1).metadataJson()).contains("\"process\": \"TP0\"");
  }

  @Test
  void aLlamaServerAbortedByACudaErrorIsOneErrorWithItsStackAndTheExitNamesIt() throws Exception {
    // What ggml prints as a CUDA call fails in llama-server (ggml_cuda_error, then ggml_abort and
    // glibc's frames, in a later write as ggml's child process prints them), as llama.cpp's
    // issues quote it; then the process aborts. llama.cpp itself cannot be built here.
    Path worker = Files.writeString(folder.resolve("serve.py"), """
        import os, sys, time
        sys.stderr.write("srv  update_slots: all slots are idle\\n")
        sys.stderr.write("CUDA error: out of memory\\n"
            "  current device: 0, in function ggml_backend_cuda_buffer_type_alloc_buffer at /app/ggml/src/ggml-cuda/ggml-cuda.cu:650\\n"
            "  cudaMalloc((void **) &dev_ptr, size)\\n"
            "/app/ggml/src/ggml-cuda/ggml-cuda.cu:88: CUDA error\\n")
        sys.stderr.flush()
        time.sleep(0.05)
        sys.stderr.write("/app/build/bin/libggml-base.so(ggml_abort+0x152)[0x7f3c2a5e71a2]\\n"
            "./llama-server(+0x2a0e5)[0x55d1c0b2a0e5]\\n")
        sys.stderr.flush()
        os.abort()
        """);

    Cli.Result result = heartlogRun("wrapped-llama", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(134);
    List<StoredRecord> records = records(store, "wrapped-llama");
    // Before, each line was a warning of its own, a frame each, and the exit's exception the last frame.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "srv  update_slots: all slots are idle"),
        tuple("ERROR", "CUDA error: out of memory"),
        tuple("ERROR", "the worker process was killed by signal 6 (SIGABRT) (exit code 134)"));
    assertThat(records.get(1).exception()).startsWith("CUDA error: out of memory\n  current device: 0, in function")
        .contains("\n/app/ggml/src/ggml-cuda/ggml-cuda.cu:88: CUDA error\n")
        .endsWith("\n./llama-server(+0x2a0e5)[0x55d1c0b2a0e5]");
    assertThat(records.get(2).exception()).isEqualTo(records.get(1).exception());
    assertThat(store.errorKinds("wrapped-llama", java.time.Instant.now().minusSeconds(600), null, 10).kinds())
        .extracting(ErrorKind::errors, ErrorKind::exception).containsExactly(tuple(2L, "CUDA error: out of memory"));
  }

  @Test
  void llamaCppsLinesGiveTheirLevelWithItsPrefixAndItsReportsAtInfoAreInfoWithout() throws Exception {
    // llama-server's lines with LLAMA_LOG_PREFIX and LLAMA_LOG_TIMESTAMPS set, as a failed CUDA call
    // ends them (ggml's abort prints its own lines without the prefix); then lines without it.
    Path worker = Files.writeString(folder.resolve("serve.py"), """
        import sys
        sys.stderr.write("0.00.035.060 I llama_model_loader: loaded meta data with 33 key-value pairs\\n"
            "0.00.035.100 W llama_context: n_ctx_per_seq (4096) < n_ctx_train (131072)\\n"
            "0.02.396.005 E CUDA error: no kernel image is available for execution on the device\\n"
            "0.02.396.010 E   current device: 0, in function ggml_cuda_compute_forward at /app/ggml/src/ggml-cuda/ggml-cuda.cu:2341\\n"
            "0.02.396.012 E   err\\n"
            "/app/ggml/src/ggml-cuda/ggml-cuda.cu:75: CUDA error\\n")
        sys.stderr.flush()
        sys.stderr.write("llama_model_loader: - kv   0:                       general.architecture str              = llama\\n"
            "load_tensors:        CUDA0 model buffer size =  4403.49 MiB\\n"
            "llama_context: constructing llama_context\\n")
        """);

    Cli.Result result = heartlogRun("wrapped-llama-prefix", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-llama-prefix");
    // Before, each a warning, the prefix in its message; the abort's four lines four of them.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "llama_model_loader: loaded meta data with 33 key-value pairs"),
        tuple("WARNING", "llama_context: n_ctx_per_seq (4096) < n_ctx_train (131072)"),
        tuple("ERROR", "CUDA error: no kernel image is available for execution on the device"),
        tuple("INFO", "llama_model_loader: - kv   0:                       general.architecture str              = llama"),
        tuple("INFO", "load_tensors:        CUDA0 model buffer size =  4403.49 MiB"),
        tuple("WARNING", "llama_context: constructing llama_context"));
    assertThat(records.get(2).exception()).isEqualTo("CUDA error: no kernel image is available for execution on the device\n"
        + "  current device: 0, in function ggml_cuda_compute_forward at /app/ggml/src/ggml-cuda/ggml-cuda.cu:2341\n"
        + "  err\n/app/ggml/src/ggml-cuda/ggml-cuda.cu:75: CUDA error");
    assertThat(records.get(0).metadataJson()).contains("\"component\": \"llama.cpp\"");
  }

  @Test
  void anOptunaStudysFailedTrialIsAWarningWithItsTracebackAndNemosLinesGiveTheirLevels() throws Exception {
    // Optuna's logger, as its colorlog handler formats it (colorlog cannot be installed here; its
    // colours are taken out before any reader sees the line), and how its study logs a trial that
    // raised (optuna/study/_optimize.py: a warning with exc_info); then lines in NeMo's format.
    Path worker = Files.writeString(folder.resolve("search.py"), """
        import logging, sys
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(levelname)1.1s %(asctime)s] %(message)s"))
        log = logging.getLogger("optuna")
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.info("A new study created in memory with name: render-search")
        try:
            raise ValueError("frame 7 diverged")
        except ValueError as e:
            log.warning(f"Trial 1 failed with parameters: {{'lr': 0.1}} because of the following error: {e!r}.",
                exc_info=True)
        log.warning("Trial 1 failed with value None.")
        nemo = logging.StreamHandler(sys.stderr)
        nemo.setFormatter(logging.Formatter("[NeMo %(levelname)1.1s %(asctime)s %(module)s:%(lineno)d] %(message)s",
            datefmt="%Y-%m-%d %H:%M:%S"))
        log.removeHandler(handler)
        log.addHandler(nemo)
        log.info("Experiments will be logged at /results/exp")
        """);

    Cli.Result result = heartlogRun("wrapped-optuna", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-optuna");
    // Before, each line a warning, the prefix in its message, and the traceback an error of its own.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "A new study created in memory with name: render-search"),
        tuple("WARNING", "Trial 1 failed with parameters: {'lr': 0.1} because of the following error: "
            + "ValueError('frame 7 diverged')."),
        tuple("WARNING", "Trial 1 failed with value None."),
        tuple("INFO", "Experiments will be logged at /results/exp"));
    assertThat(records.get(1).exception()).startsWith("Traceback (most recent call last):")
        .endsWith("ValueError: frame 7 diverged");
    assertThat(records.get(3).metadataJson()).contains("\"component\": \"NeMo\"", "\"logger\": \"search\"");
  }

  @Test
  void tritonsTablesAreOneInfoRecordEachWithTheLineAboveThem() throws Exception {
    // Triton Inference Server's start, as its issues quote it: LOG_TABLE_INFO writes a glog line
    // with nothing after its bracket and the table below it, in one write, on stderr.
    Path worker = Files.writeString(folder.resolve("serve.py"), """
        import sys
        sys.stderr.write("I1207 12:00:00.123456 1 server.cc:631] \\n"
            "+-------------+---------+--------+\\n"
            "| Model       | Version | Status |\\n"
            "+-------------+---------+--------+\\n"
            "| densenet    | 1       | READY  |\\n"
            "+-------------+---------+--------+\\n"
            "\\n")
        sys.stderr.flush()
        sys.stderr.write("E1207 12:00:00.423456 1 model_lifecycle.cc:621] failed to load 'render_unet' version 1: "
            "Internal: unable to load model: CUDA out of memory\\n")
        """);

    Cli.Result result = heartlogRun("wrapped-triton", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-triton");
    // Before, the glog line was a warning stored whole, and each of the table's lines another.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "+-------------+---------+--------+\n| Model       | Version | Status |\n"
            + "+-------------+---------+--------+\n| densenet    | 1       | READY  |\n+-------------+---------+--------+"),
        tuple("ERROR", "failed to load 'render_unet' version 1: Internal: unable to load model: CUDA out of memory"));
    assertThat(records.get(0).metadataJson()).contains("\"file\": \"server.cc\"");
  }

  @Test
  void aStableDiffusionWebUisErrorReportIsOneErrorWithItsTraceback() throws Exception {
    // modules/errors.py's report() of Stable Diffusion web UI (AUTOMATIC1111), written out here:
    // "*** " before each line of the message, the traceback indented by four spaces, "---".
    Path worker = Files.writeString(folder.resolve("webui.py"), """
        import sys, textwrap, traceback

        def report(message):
            for line in message.splitlines():
                print("***", line, file=sys.stderr)
            print(textwrap.indent(traceback.format_exc(), "    "), file=sys.stderr)
            print("---", file=sys.stderr)

        try:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        except RuntimeError:
            report("Error completing request\\nArguments: ('task(5mzr8qyklbjb8ax)', 'a cat') {}")
        print("Model loaded in 3.2s", file=sys.stderr)
        """);

    Cli.Result result = heartlogRun("wrapped-webui", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-webui");
    // Before, three warnings: each *** line, the traceback indented in the second's message, and ---.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("ERROR", "Error completing request\nArguments: ('task(5mzr8qyklbjb8ax)', 'a cat') {}"),
        tuple("WARNING", "Model loaded in 3.2s"));
    assertThat(records.get(0).exception()).startsWith("Traceback (most recent call last):\n  File ")
        .endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
  }

  @Test
  void aRunPodWorkersJobsAreItsTasksAndAHandlersExceptionIsOneErrorWithItsTraceback() throws Exception {
    // runpod-python's RunPodLogger.log and run_job's messages (rp_logger.py, rp_job.py, rp_http.py),
    // written out in short: JSON lines where RUNPOD_ENDPOINT_ID is set (on RunPod), else the level
    // padded to 7 and "| ", the job's id and "| " before the message where there is one. A handler
    // that raises is logged as "Captured Handler Exception", then a JSON document of the error.
    Path worker = Files.writeString(folder.resolve("handler.py"), """
        import json, os, traceback

        def log(message, level="INFO", job_id=None):
            if os.environ.get("RUNPOD_ENDPOINT_ID"):
                print(json.dumps({"requestId": job_id, "message": str(message), "level": level}), flush=True)
                return
            if job_id:
                message = f"{job_id} | {message}"
            print(f"{level.ljust(7)}| {message}", flush=True)

        def handler(job):
            print("rendering", job["input"]["prompt"], flush=True)
            log("prompt cut to 77 tokens", "WARN", job["id"])   # a handler logs through it too
            if job["input"].get("fail"):
                raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
            return {"video": "s3://renders/clip.mp4"}

        log("--- Starting Serverless Worker |  Version 1.7.9 ---")
        for job in [{"id": "0d6f3a52-7c1e-u1", "input": {"prompt": "a cat"}},
                    {"id": "9b2e41c7-5a8d-u1", "input": {"prompt": "a dog", "fail": True}}]:
            log("Started.", "INFO", job["id"])
            try:
                log(f"Handler output: {handler(job)}", "DEBUG", job["id"])
            except Exception as err:
                error_info = {"error_type": str(type(err)), "error_message": str(err),
                              "error_traceback": traceback.format_exc(), "hostname": "unknown",
                              "worker_id": "unknown", "runpod_version": "1.7.9"}
                log("Captured Handler Exception", "ERROR", job["id"])
                log(json.dumps(error_info, indent=4), "ERROR")
            log("Finished.", "INFO", job["id"])
        # two jobs at once (concurrency_modifier): the first one's line after the second's end
        log("Started.", "INFO", "c-1")
        log("Started.", "INFO", "c-2")
        log("Finished.", "INFO", "c-2")
        print("encoding the video", flush=True)
        log("Finished.", "INFO", "c-1")
        print("waiting for jobs", flush=True)
        """);

    for (String form : List.of("local", "json")) {
      String workerId = "runpod-" + form;
      Cli.Result result = heartlogRun(workerId, "--", "/usr/bin/env", "RUNPOD_ENDPOINT_ID=" + (form.equals("json") ? "e1" : ""),
          PYTHON.toString(), worker.toString());

      assertThat(result.exitCode()).as(result.err()).isZero();
      List<StoredRecord> records = records(store, workerId);
      // Before: the local form's level, job and bars stayed in each message ("INFO   | 0d6f3a52-7c1e-u1 |
      // Started."), the JSON form's job was the record's requestId; no record had a task, and the
      // error document was a second error, named by its first line, "{", for every handler's failure.
      assertThat(records).as(form).extracting(StoredRecord::level, StoredRecord::taskId, StoredRecord::message)
          .containsExactly(
              tuple("INFO", null, "--- Starting Serverless Worker |  Version 1.7.9 ---"),
              tuple("INFO", "0d6f3a52-7c1e-u1", "Started."),
              tuple("INFO", "0d6f3a52-7c1e-u1", "rendering a cat"),
              tuple("WARNING", "0d6f3a52-7c1e-u1", "prompt cut to 77 tokens"),
              tuple("INFO", "0d6f3a52-7c1e-u1", "Finished."),   // "Handler output: ..." before it, DEBUG, not kept
              tuple("INFO", "9b2e41c7-5a8d-u1", "Started."),
              tuple("INFO", "9b2e41c7-5a8d-u1", "rendering a dog"),
              tuple("WARNING", "9b2e41c7-5a8d-u1", "prompt cut to 77 tokens"),
              tuple("ERROR", "9b2e41c7-5a8d-u1", "Captured Handler Exception"),
              tuple("INFO", "9b2e41c7-5a8d-u1", "Finished."),
              tuple("INFO", "c-1", "Started."),
              tuple("INFO", "c-2", "Started."),
              tuple("INFO", "c-2", "Finished."),
              tuple("INFO", "c-1", "encoding the video"),   // the job still running is current again
              tuple("INFO", "c-1", "Finished."),
              tuple("INFO", null, "waiting for jobs"));
      assertThat(records.get(8).exception()).as(form).startsWith("Traceback (most recent call last):\n  File ")
          .contains("in handler\n").endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
      assertThat(records).as(form).extracting(StoredRecord::metadataJson).noneMatch(json -> json.contains("requestId"));
    }
  }

  @Test
  void aDeepSpeedFormattedWorkersRecordsGiveTheirLevelMessageAndPlaceAndItsLoggedExceptionIsOneError() throws Exception {
    // DeepSpeed's logger's format, which training scripts copy; to stdout, as DeepSpeed's.
    Path worker = Files.writeString(folder.resolve("train.py"), """
        import logging, sys

        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter(
            "[%(asctime)s] [%(levelname)s] [%(filename)s:%(lineno)d:%(funcName)s] %(message)s"))
        log = logging.getLogger("DeepSpeed")
        log.addHandler(handler)
        log.setLevel(logging.INFO)

        def step():
            log.warning("gradient overflow, skipping step")
            try:
                raise RuntimeError("NCCL error: unhandled system error")
            except RuntimeError:
                log.exception("step failed")

        step()
        """);

    Cli.Result result = heartlogRun("wrapped-deepspeed", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-deepspeed");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "gradient overflow, skipping step"), tuple("ERROR", "step failed"));
    assertThat(records.get(0).metadataJson()).contains("\"file\": \"train.py\"", "\"line\": 11", "\"function\": \"step\"");
    assertThat(records.get(1).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: NCCL error: unhandled system error");
  }

  @Test
  void anAirflowTasksLinesGiveTheirLevelPlaceAndTimeAndItsFailureIsOneErrorWithItsTraceback() throws Exception {
    // Airflow's log format and its TimezoneAware formatter's time (airflow/utils/log/timezone_aware.py),
    // written out here (Airflow cannot be installed); its task runner's lines as a Celery worker
    // prints them on stdout, and the failure with its traceback as taskinstance.py logs it.
    Path worker = Files.writeString(folder.resolve("task.py"), """
        import logging, sys

        class TimezoneAware(logging.Formatter):
            default_time_format = "%Y-%m-%dT%H:%M:%S"
            default_msec_format = "%s.%03d"
            def formatTime(self, record, datefmt=None):
                import time
                s = time.strftime(self.default_time_format, time.gmtime(record.created))
                return self.default_msec_format % (s, record.msecs) + "+0000"

        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(TimezoneAware("[%(asctime)s] {%(filename)s:%(lineno)d} %(levelname)s - %(message)s"))
        log = logging.getLogger("airflow.task")
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.info("Executing <Task(PythonOperator): render> on 2026-12-07")
        try:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        except RuntimeError:
            log.error("Task failed with exception", exc_info=True)
        log.info("Marking task as FAILED. dag_id=render, task_id=frame")
        """);

    Cli.Result result = heartlogRun("wrapped-airflow", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-airflow");
    // Before, each line stored whole, its time, place and level in its message.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Executing <Task(PythonOperator): render> on 2026-12-07"),
        tuple("ERROR", "Task failed with exception"),
        tuple("INFO", "Marking task as FAILED. dag_id=render, task_id=frame"));
    assertThat(records.get(1).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
    assertThat(records.get(1).metadataJson()).contains("\"file\": \"task.py\"");
  }

  @Test
  void transformersExplicitFormatGivesTheLevelMessageAndPlaceAndItsLoggedExceptionIsOneError() throws Exception {
    // The format transformers.utils.logging.enable_explicit_format() sets, as Hugging Face's
    // example training scripts call it; on stderr, as transformers' handler writes.
    Path worker = Files.writeString(folder.resolve("run_glue.py"), """
        import logging

        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(levelname)s|%(filename)s:%(lineno)s] %(asctime)s >> %(message)s"))
        log = logging.getLogger("transformers.trainer")
        log.addHandler(handler)
        log.setLevel(logging.INFO)

        log.info("***** Running training *****")
        log.warning("Some weights of BertForSequenceClassification were not initialized")
        try:
            raise RuntimeError("CUDA out of memory")
        except RuntimeError:
            log.exception("Training failed")
        """);

    Cli.Result result = heartlogRun("wrapped-transformers", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-transformers");
    // Before, the level was read, but the prefix and the time stayed in each message.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "***** Running training *****"),
        tuple("WARNING", "Some weights of BertForSequenceClassification were not initialized"),
        tuple("ERROR", "Training failed"));
    assertThat(records.get(1).metadataJson()).contains("\"file\": \"run_glue.py\"", "\"line\": 10");
    assertThat(records.get(2).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: CUDA out of memory");
  }

  @Test
  void aWorkerWhoseLoggingOpenTelemetryFormatsGivesItsRecordsTheirMessageAndTheirSpan() throws Exception {
    // OTEL_PYTHON_LOG_CORRELATION=true: opentelemetry-instrumentation-logging (not installed here)
    // sets a record factory that gives each record its span's ids, and basicConfig its format.
    // The factory below gives them as it does: hex ids in a span, "0" and an empty name outside.
    Path worker = Files.writeString(folder.resolve("traced.py"), """
        import logging

        span = None
        factory = logging.getLogRecordFactory()
        def record_factory(*args, **kwargs):
            record = factory(*args, **kwargs)
            record.otelTraceID = span[0] if span else "0"
            record.otelSpanID = span[1] if span else "0"
            record.otelServiceName = "render-worker" if span else ""
            record.otelTraceSampled = bool(span)
            return record
        logging.setLogRecordFactory(record_factory)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] [%(filename)s:%(lineno)d] "
            "[trace_id=%(otelTraceID)s span_id=%(otelSpanID)s resource.service.name=%(otelServiceName)s "
            "trace_sampled=%(otelTraceSampled)s] - %(message)s")
        log = logging.getLogger("render")

        log.info("Worker ready")
        span = ("7f3a9c1e2b4d5f60718293a4b5c6d7e8", "0af7651916cd43dd")
        try:
            raise RuntimeError("CUDA out of memory")
        except RuntimeError:
            log.exception("Frame 3 failed")
        """);

    Cli.Result result = heartlogRun("wrapped-otel", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-otel");
    // Before, each message began with its place and its span: "[traced.py:20] [trace_id=0 ...] - ".
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Worker ready"),
        tuple("ERROR", "Frame 3 failed"));
    assertThat(records.get(0).metadataJson()).contains("\"logger\": \"render\"", "\"file\": \"traced.py\"")
        .doesNotContain("trace_id");
    assertThat(records.get(1).metadataJson()).contains("\"trace_id\": \"7f3a9c1e2b4d5f60718293a4b5c6d7e8\"",
        "\"span_id\": \"0af7651916cd43dd\"", "\"trace_sampled\": true", "\"service\": \"render-worker\"");
    assertThat(records.get(1).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: CUDA out of memory");
  }

  @Test
  void aLineThatOnlyLooksLikeALibrarysIsReadAsAnyOtherAndTheLinesAfterItStillCome() throws Exception {
    // Line numbers no int holds: before, reading rich's line ended the reading of stdout and
    // closed its pipe: nothing of it was stored, and a worker that printed on failed.
    Path worker = Files.writeString(folder.resolve("odd.py"), """
        print("[05:46:48] WARNING  rendering frame 7                     rh.py:99999999999")
        print("WARNING 12-02 22:00:02 [x.py:99999999999] vllm")
        for i in range(3):
            print("frame", i)
        """);

    Cli.Result result = heartlogRun("wrapped-odd", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(records(store, "wrapped-odd")).extracting(StoredRecord::message)
        .as("no record of a line heartlog run could not read, either")
        .containsExactly("frame 7                     rh.py:99999999999",   // the seed's format: component "rendering"
            "WARNING 12-02 22:00:02 [x.py:99999999999] vllm", "frame 0", "frame 1", "frame 2");
  }

  @Test
  void aHuggingFaceScriptsLinesGiveTheirLevelLoggerAndMessageSoLevelsPerLoggerApply() throws Exception {
    // The logging set-up of transformers', diffusers' and accelerate's example scripts (stderr).
    Path worker = Files.writeString(folder.resolve("train.py"), """
        import logging

        logging.basicConfig(format="%(asctime)s - %(levelname)s - %(name)s - %(message)s",
                            datefmt="%m/%d/%Y %H:%M:%S", level=logging.INFO)
        logging.getLogger("accelerate.utils.modeling").warning("device_map auto - cpu offload")
        logging.getLogger("__main__").info("***** Running training *****")
        logging.getLogger("__main__").warning("Num examples = 0")
        """);

    Cli.Result result = heartlogRun("wrapped-hf", "--levels", "INFO,accelerate=ERROR", "--",
        PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-hf");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "***** Running training *****"), tuple("WARNING", "Num examples = 0"));
    assertThat(records.get(0).metadataJson()).contains("\"logger\": \"__main__\"");
  }

  @Test
  void aHydraJobsLinesOnStdoutGiveTheirLevelLoggerAndMessageAndItsLoggedExceptionIsOneError() throws Exception {
    // Hydra's logging configuration, as its job_logging/default.yaml and hydra_logging/default.yaml
    // set it (Hydra itself is not installed here): both on stdout, Hydra's own lines naming no level.
    Path worker = Files.writeString(folder.resolve("train.py"), """
        import logging.config, sys

        logging.config.dictConfig({
            "version": 1,
            "formatters": {
                "job": {"format": "[%(asctime)s][%(name)s][%(levelname)s] - %(message)s"},
                "hydra": {"format": "[%(asctime)s][HYDRA] %(message)s"}},
            "handlers": {
                "job": {"class": "logging.StreamHandler", "formatter": "job", "stream": "ext://sys.stdout"},
                "hydra": {"class": "logging.StreamHandler", "formatter": "hydra", "stream": "ext://sys.stdout"}},
            "loggers": {"hydra": {"handlers": ["hydra"], "propagate": False}},
            "root": {"level": "INFO", "handlers": ["job"]}})
        logging.getLogger("hydra").info("Launching 1 jobs locally")
        logging.getLogger("__main__").info("epoch 3 - loss 0.21")
        logging.getLogger("lightning.pytorch.utilities.rank_zero").warning("GPU available: True (cuda)")
        try:
            raise RuntimeError("loss is NaN")
        except RuntimeError:
            logging.getLogger("__main__").exception("training failed")
        """);

    Cli.Result result = heartlogRun("wrapped-hydra", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-hydra");
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Launching 1 jobs locally"), tuple("INFO", "epoch 3 - loss 0.21"),
        tuple("WARNING", "GPU available: True (cuda)"), tuple("ERROR", "training failed"));
    assertThat(records).extracting(StoredRecord::component)
        .containsExactly("HYDRA", "__main__", "lightning.pytorch.utilities.rank_zero", "__main__");
    assertThat(records.get(3).exception()).startsWith("Traceback (most recent call last):\n")
        .endsWith("RuntimeError: loss is NaN");
  }

  @Test
  void torchrunsTeedLinesLoseTheirRankAndARanksTracebackIsOneErrorAmongTheOthersLines() throws Exception {
    // torchrun --tee 3 (torchx's dist.ddp): every line of local rank N after "[defaultN]:", no
    // space, the ranks' lines interleaved as they come.
    Path worker = Files.writeString(folder.resolve("teed.py"), """
        import traceback
        def forward():
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        try:
            forward()
        except RuntimeError:
            lines = traceback.format_exc().splitlines()
        print("[default0]:INFO:train:step 1 loss=0.41")
        print("[default1]:INFO:train:step 1 loss=0.43")
        for i, line in enumerate(lines):
            print("[default1]:" + line)
            if i == 1:
                print("[default0]:WARNING:train:VRAM at 95%")
        print("[default0]:INFO:train:step 2 loss=0.40")
        """);

    Cli.Result result = heartlogRun("wrapped-teed", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-teed").stream()
        .filter(r -> !r.message().startsWith("the worker process exited")).toList();
    // Before, every line was an INFO record of its own, its prefix in front: no error.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "step 1 loss=0.41"),
        tuple("INFO", "step 1 loss=0.43"),
        tuple("ERROR", "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB"),   // at its first line's time
        tuple("WARNING", "VRAM at 95%"),
        tuple("INFO", "step 2 loss=0.40"));
    assertThat(records.get(2).metadataJson()).contains("\"process\": \"default1\"");
    assertThat(records.get(3).metadataJson()).contains("\"process\": \"default0\"");
    assertThat(records.get(2).exception()).startsWith("Traceback (most recent call last):\n  File \"")
        .contains("in forward\n").doesNotContain("[default").endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
  }

  @Test
  void foremansProcessesAreTheirRecordsProcessesAndTheirLinesAreReadInTheirOwnFormat() throws Exception {
    // foreman start (Debian's foreman 0.87.2), its lines as it printed them for a Procfile of a
    // Python worker that logged an error with its traceback and a web process: the time, the
    // process, padded, and a bar before each line; the processes' lines interleaved.
    Path worker = Files.writeString(folder.resolve("procfile.py"), """
        import traceback
        def forward():
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        try:
            forward()
        except RuntimeError:
            lines = traceback.format_exc().splitlines()
        print("18:11:29 worker.1 | started with pid 8039")
        print("18:11:29 web.1    | started with pid 8041")
        print("18:11:30 worker.1 | 2026-12-07 18:11:30,264 INFO worker - claimed task t-1")
        print("18:11:30 worker.1 | 2026-12-07 18:11:30,765 ERROR worker - render failed")
        for i, line in enumerate(lines):
            print("18:11:30 worker.1 | " + line)
            if i == 1:
                print("18:11:30 web.1    | listening on 5000")
        print("18:11:30 worker.1 | exited with code 3")
        print("18:11:30 system   | sending SIGTERM to all processes")
        """);

    Cli.Result result = heartlogRun("wrapped-foreman", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-foreman");
    // Before, every line a record of its own, foreman's prefix in front and the worker's format unread.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "started with pid 8039"),
        tuple("INFO", "started with pid 8041"),
        tuple("INFO", "claimed task t-1"),
        tuple("ERROR", "render failed"),
        tuple("INFO", "listening on 5000"),
        tuple("ERROR", "exited with code 3"),   // INFO before: foreman said so, before it stopped the rest
        tuple("INFO", "sending SIGTERM to all processes"));
    assertThat(records).extracting(record -> record.metadataJson().replaceAll(".*\"process\": \"([^\"]+)\".*", "$1"))
        .containsExactly("worker.1", "web.1", "worker.1", "worker.1", "web.1", "worker.1", "system");
    assertThat(records.get(3).metadataJson()).contains("\"logger\": \"worker\"");
    assertThat(records.get(3).exception()).startsWith("Traceback (most recent call last):\n  File \"")
        .doesNotContain("worker.1 |").endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
  }

  @Test
  void pm2sJsonLinesAreReadAsItsAppsWroteThemEachStackTraceOneError() throws Exception {
    // pm2-runtime --json (PM2 7.0.4 from npm), as it printed a Node.js worker's writes here, each
    // a JSON object on its stdout, the stack trace's line ends taken out. Each record has the
    // time PM2 gave the write.
    Path worker = Files.writeString(folder.resolve("pm2-json.py"), """
        print('{"message":"worker starting","timestamp":"2026-12-08T01:12:49.172Z","type":"out","process_id":0,"app_name":"jplain"}')
        print('{"message":"2026-12-08 01:10:00,123 ERROR render - frame 12 failed","timestamp":"2026-12-08T01:12:49.173Z","type":"err","process_id":0,"app_name":"jplain"}')
        print('{"message":"Error: CUDA out of memory while rendering frame 12    at Timeout._onTimeout (/tmp/pm2t/jplain.js:4:26)    at listOnTimeout (node:internal/timers:581:17)","timestamp":"2026-12-08T01:12:49.274Z","type":"err","process_id":0,"app_name":"jplain"}')
        print('{"message":"next frame","timestamp":"2026-12-08T01:12:49.275Z","type":"out","process_id":0,"app_name":"jplain"}')
        print('{"timestamp":"2026-12-08T01:12:49.283Z","type":"process_event","status":"exit","app_name":"jplain"}')
        """);

    Cli.Result result = heartlogRun("wrapped-pm2-json", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-pm2-json");
    // Before, each JSON object an INFO record, the worker's error and its crash among them.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "worker starting"),
        tuple("ERROR", "frame 12 failed"),
        tuple("ERROR", "Error: CUDA out of memory while rendering frame 12"),
        tuple("INFO", "next frame"),
        tuple("INFO", "App [jplain] exit"));
    assertThat(records.get(1).metadataJson()).contains("\"process\": \"jplain:0\"").contains("\"stream\": \"stderr\"");
    assertThat(records.get(0).timestamp()).isEqualTo(Instant.parse("2026-12-08T01:12:49.172Z"));
    assertThat(records.get(2).exception()).isEqualTo("Error: CUDA out of memory while rendering frame 12\n"
        + "    at Timeout._onTimeout (/tmp/pm2t/jplain.js:4:26)\n    at listOnTimeout (node:internal/timers:581:17)");
  }

  @Test
  void pm2sAppsInFrontOfTheirLinesAreTheirProcessesAndEachStackTraceIsOneError() throws Exception {
    // pm2-runtime --formatted -i 2 (PM2 7.0.4 from npm), as it printed two instances of a Node.js
    // worker here, all on stdout: the id and the app, padded, and a bar before each line; an
    // instance's stack trace with the other's line between its lines, as instances print at once.
    Path worker = Files.writeString(folder.resolve("pm2-formatted.py"), """
        print("2026-12-07T20:50:38: PM2 log: App [render:1] online")
        print("0|render  | worker starting, pid 12344")
        print("0|render  | Error: CUDA out of memory while rendering frame 12")
        print("0|render  |     at Timeout._onTimeout (/srv/worker.js:4:15)")
        print("1|render  | worker starting, pid 12351")
        print("0|render  |     at listOnTimeout (node:internal/timers:581:17)")
        print("0|render  |     at process.processTimers (node:internal/timers:519:7)")
        print("2026-12-07T20:50:38: PM2 log: App name:render id:0 disconnected")
        """);

    Cli.Result result = heartlogRun("wrapped-pm2", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-pm2");
    // Before, every line a record of its own at INFO, PM2's prefix in front, the stack trace in pieces.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "App [render:1] online"),
        tuple("INFO", "worker starting, pid 12344"),
        tuple("ERROR", "Error: CUDA out of memory while rendering frame 12"),
        tuple("INFO", "worker starting, pid 12351"),
        tuple("INFO", "App name:render id:0 disconnected"));
    assertThat(records.get(2).metadataJson()).contains("\"process\": \"render:0\"");
    assertThat(records.get(3).metadataJson()).contains("\"process\": \"render:1\"");
    assertThat(records.get(2).exception()).isEqualTo("Error: CUDA out of memory while rendering frame 12\n"
        + "    at Timeout._onTimeout (/srv/worker.js:4:15)\n"
        + "    at listOnTimeout (node:internal/timers:581:17)\n"
        + "    at process.processTimers (node:internal/timers:519:7)");
  }

  @Test
  void pm2sFormatLinesAreReadAtTheLevelOfTheStreamTheAppWroteThemTo() throws Exception {
    // pm2-runtime --format (PM2 7.0.4 from npm), as it printed a Node.js worker's lines here, all
    // on its stdout: logfmt's fields of the time, the app and the stream it wrote to, then the
    // line; a stack trace a line each, printed after PM2's own line of the exit.
    Path worker = Files.writeString(folder.resolve("pm2-format.py"), """
        import time
        def printed(line):   # each a write of its own, as PM2 printed them
            print(line, flush=True)
            time.sleep(0.05)
        printed("2026-12-08T02:59:22: PM2 log: App [render:0] online")
        printed("timestamp=2026-12-08-02:59:22+0000 app=render id=0 type=out message=starting render")
        printed("timestamp=2026-12-08-02:59:22+0000 app=render id=0 type=error message=2026-12-08 03:10:00,456 ERROR render - frame 2 failed")
        printed("timestamp=2026-12-08-02:59:22+0000 app=render id=0 type=error message=disk almost full")
        printed("2026-12-08T02:59:23: PM2 log: App [render:0] exited with code [1] via signal [SIGINT]")
        printed("timestamp=2026-12-08-02:59:23+0000 app=render id=0 type=error message=Error: boom in render")
        printed("timestamp=2026-12-08-02:59:23+0000 app=render id=0 type=error message=    at Timeout._onTimeout (/tmp/pm2f/app.js:4:26)")
        printed("timestamp=2026-12-08-02:59:23+0000 app=render id=0 type=error message=    at listOnTimeout (node:internal/timers:581:17)")
        """);

    Cli.Result result = heartlogRun("wrapped-pm2-format", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-pm2-format");
    // Before, every app's line an INFO record with PM2's fields in front, the stack trace in pieces.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "App [render:0] online"),
        tuple("INFO", "starting render"),
        tuple("ERROR", "frame 2 failed"),
        tuple("WARNING", "disk almost full"),
        tuple("ERROR", "App [render:0] exited with code [1] via signal [SIGINT]"),
        tuple("ERROR", "Error: boom in render"));
    assertThat(records.get(1).metadataJson()).contains("\"process\": \"render:0\"").contains("\"stream\": \"stdout\"");
    assertThat(records.get(3).metadataJson()).contains("\"process\": \"render:0\"").contains("\"stream\": \"stderr\"");
    assertThat(records.get(5).exception()).isEqualTo("Error: boom in render\n"
        + "    at Timeout._onTimeout (/tmp/pm2f/app.js:4:26)\n"
        + "    at listOnTimeout (node:internal/timers:581:17)");
  }

  @Test
  void openTelemetrysConsoleRecordsAreEachOneRecordAtItsLevel() throws Exception {
    // opentelemetry-instrument --logs_exporter console: the SDK's BatchLogRecordProcessor writes a
    // batch's records at once, each an indented JSON document (OpenTelemetryConsoleLinesTest's, as
    // the SDK's source writes them; the package is not installable here).
    Path worker = Files.writeString(folder.resolve("otel-console.py"), "import sys\n"
        + "sys.stdout.write(r'''" + OpenTelemetryConsoleLinesTest.INFO_RECORD + "''' + '\\n'"
        + " + r'''" + OpenTelemetryConsoleLinesTest.ERROR_RECORD + "''' + '\\n')\n"
        + "sys.stdout.flush()\n"
        + "print('rendering done')\n");

    Cli.Result result = heartlogRun("wrapped-otel-console", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-otel-console");
    // Before, three records: the first document's "{" and body an INFO record, the rest of it and
    // the next one's first lines another, and an ERROR of the rest from its "severity_text" on.
    // Each record is stored at its own time, the print at the time it came: the store lists them so.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactlyInAnyOrder(
        tuple("INFO", "frame 1 done"),
        tuple("ERROR", "frame 2 failed"),
        tuple("INFO", "rendering done"));
    StoredRecord error = records.stream().filter(r -> r.level().equals("ERROR")).findFirst().orElseThrow();
    assertThat(error.taskId()).isEqualTo("shot-12");
    assertThat(error.timestamp()).isEqualTo(Instant.parse("2026-12-08T03:40:00.123456Z"));
    assertThat(error.exception()).endsWith("ValueError: bad frame");
    assertThat(error.metadataJson()).contains("\"trace_id\": \"7f3a2b1c4d5e6f708192a3b4c5d6e7f8\"");
  }

  @Test
  void nodeJssOpenTelemetryConsoleRecordsAreEachOneRecordAtItsLevel() throws Exception {
    // @opentelemetry/sdk-logs' ConsoleLogRecordExporter, as it printed two records here through
    // console.dir (OpenTelemetryConsoleLinesTest's); printed here by Python, as Node.js is not
    // among what CI installs.
    Path worker = Files.writeString(folder.resolve("otel-node-console.py"), "import sys\n"
        + "sys.stdout.write(r'''" + OpenTelemetryConsoleLinesTest.NODE_RECORD + "''' + '\\n'"
        + " + r'''" + OpenTelemetryConsoleLinesTest.NODE_ERROR_RECORD + "''' + '\\n')\n");

    Cli.Result result = heartlogRun("wrapped-otel-node", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    // Before, three records: the first document's lines up to its severityText an INFO record, the
    // rest of it and the next one's first lines a warning, and an ERROR of the rest.
    assertThat(records(store, "wrapped-otel-node")).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactlyInAnyOrder(tuple("WARNING", "VRAM at 95% on 'gpu0'"), tuple("ERROR", "frame 2 failed\nsecond line"));
  }

  @Test
  void aJsonRecordTakesNoFurtherLinesWrittenWithIt() throws Exception {
    // A JSON logger's line and a print() after it, in the same write: the object is the whole record.
    Path worker = Files.writeString(folder.resolve("json-then-print.py"), """
        import sys
        sys.stdout.write('{"level": "error", "msg": "frame 2 failed"}\\nrendering done\\n')
        """);

    Cli.Result result = heartlogRun("wrapped-json-print", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    // Before, one ERROR record, "frame 2 failed\nrendering done".
    assertThat(records(store, "wrapped-json-print")).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("ERROR", "frame 2 failed"), tuple("INFO", "rendering done"));
  }

  @Test
  void aDistributedRunsTracebacksPrefixedWithTheirRanksAreOneErrorOfEachRankTheirLinesInterleaved() throws Exception {
    // As PyTorch's distributed runs print on their way out (torchrun, vLLM even on one GPU): every
    // line of a rank's traceback, and its C++ side's warnings, after "[rankN]:". Two ranks that
    // crash at once print theirs at once.
    Path worker = Files.writeString(folder.resolve("ranks.py"), """
        import sys, traceback
        def forward():
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        print("[rank0]:[W1203 12:40:00.123456789 ProcessGroupNCCL.cpp:4115] [PG ID 0 PG GUID 0 Rank 0]  using GPU 0 "
              "to perform barrier", file=sys.stderr)
        try:
            forward()
        except RuntimeError:
            lines = traceback.format_exc().splitlines()
        for line in lines:
            print("[rank1]: " + line, file=sys.stderr)
            print("[rank2]: " + line.replace("2.00 GiB", "4.00 GiB"), file=sys.stderr)
        print("E1203 12:40:05.000000 123 torch/distributed/elastic/multiprocessing/api.py:869] failed (exitcode: 1) "
              "local_rank: 1 (pid: 4244) of binary: /usr/bin/python3", file=sys.stderr)
        """);

    Cli.Result result = heartlogRun("wrapped-ranks", "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<StoredRecord> records = records(store, "wrapped-ranks").stream()
        .filter(r -> !r.message().startsWith("the worker process exited")).toList();
    // Before, each line of the tracebacks was a warning of its own, and the run had no error but
    // torchrun's; then, with the rank read, the lines of one rank ended the other's traceback.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("WARNING", "[PG ID 0 PG GUID 0 Rank 0]  using GPU 0 to perform barrier"),
        tuple("ERROR", "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB"),
        tuple("ERROR", "RuntimeError: CUDA out of memory. Tried to allocate 4.00 GiB"),
        tuple("ERROR", "failed (exitcode: 1) local_rank: 1 (pid: 4244) of binary: /usr/bin/python3"));
    assertThat(records.get(0).metadataJson()).contains("\"process\": \"rank0\"")
        .as("where PyTorch's C++ side logged it").contains("\"file\": \"ProcessGroupNCCL.cpp\"", "\"line\": 4115");
    assertThat(records.get(3).metadataJson()).contains("\"file\": \"torch/distributed/elastic/multiprocessing/api.py\"");
    assertThat(records.get(1).metadataJson()).contains("\"process\": \"rank1\"");
    assertThat(records.get(2).metadataJson()).contains("\"process\": \"rank2\"");
    assertThat(records.get(1).exception()).startsWith("Traceback (most recent call last):\n  File \"")
        .contains("in forward\n").doesNotContain("[rank", "4.00 GiB").endsWith("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
    assertThat(records.get(2).exception()).startsWith("Traceback (most recent call last):\n  File \"")
        .contains("in forward\n").doesNotContain("[rank", "2.00 GiB").endsWith("RuntimeError: CUDA out of memory. Tried to allocate 4.00 GiB");
  }
}
