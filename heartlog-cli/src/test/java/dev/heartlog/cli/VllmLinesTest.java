package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartlog.agent.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link VllmLines} reads off the lines of vLLM's logger and of its processes. */
class VllmLinesTest {

  private final ChildLineParser parser = new ChildLineParser(ChildLineParser.SEED_FORMAT, ChildLineParser.DEFAULT_TASK_END);

  @Test
  void aLineGivesItsLevelItsMessageAndWhereItWasLogged() {
    VllmLines lines = new VllmLines(parser);

    ChildLineParser.Parsed parsed = lines.parse(
        "WARNING 12-02 22:00:03 [config.py:1204] Casting torch.bfloat16 to torch.float16.", "stdout", false);

    assertThat(parsed.level()).isEqualTo(Level.WARNING);
    assertThat(parsed.message()).isEqualTo("Casting torch.bfloat16 to torch.float16.");
    assertThat(parsed.metadata()).containsEntry("file", "config.py").containsEntry("line", 1204)
        .containsEntry("stream", "stdout");
    assertThat(parsed.time()).as("no year, no zone: the line's arrival is the record's time").isNull();
  }

  @Test
  void theFormsOfVllmsVersionsAndForksAreRead() {
    VllmLines lines = new VllmLines(parser);

    assertThat(List.of(
            "INFO 12-02 22:00:02 llm_engine.py:161] Initializing an LLM engine",          // before 0.8: no bracket
            "INFO 12-02 22:00:02 [llm_engine.py:161] Initializing an LLM engine",
            "INFO 12-02 22:00:02.123 [llm_engine.py:161] Initializing an LLM engine",     // with milliseconds
            "INFO 12-02 22:00:02 [vllm/v1/engine/llm_engine.py:161] Initializing an LLM engine"))   // a path, at DEBUG
        .allSatisfy(line -> assertThat(lines.parse(line, "stdout", false).message()).isEqualTo("Initializing an LLM engine"));
    assertThat(List.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
        .extracting(level -> lines.parse(level + " 12-02 22:00:02 [x.py:1] m", "stdout", false).level())
        .containsExactly(Level.DEBUG, Level.INFO, Level.WARNING, Level.ERROR, Level.CRITICAL);
    assertThat(lines.parse("INFO 12-02 22:00:02 [x.py:1]", "stdout", false).message())
        .as("an empty message, its space taken off with the line's end").isEmpty();
    assertThat(lines.parse("INFO 12-02 22:00:02 [x.py:1] Task completed", "stdout", false).endsTask()).isTrue();
  }

  @Test
  void otherLinesAreNotVllms() {
    VllmLines lines = new VllmLines(parser);

    assertThat(List.of(
            "INFO:root:Loading model",
            "INFO     Uvicorn running on http://0.0.0.0:8000",
            "NOTICE 12-02 22:00:02 [x.py:1] not a level",
            "INFO 2026-12-02 22:00:02 [x.py:1] another date",
            "INFO 12-02 22:00:02 [x.py] no line number",
            "INFO 12-02 22:00:02 [x.py:99999999999] a line number no int holds",
            "E1202 22:00:05.123456 4242 gpu.cc:20] glog's",
            ""))
        .allSatisfy(line -> assertThat(lines.parse(line, "stderr", false)).as(line).isNull());
  }

  @Test
  void theProcessInFrontOfALineIsReadOffIt() {
    VllmLines lines = new VllmLines(parser);

    assertThat(lines.process("(EngineCore_DP0 pid=4242) INFO 12-02 22:00:02 [core.py:71] Initializing"))
        .isEqualTo("EngineCore_DP0 pid=4242");
    String line = "(VllmWorker rank=0 pid=4243) Traceback (most recent call last):";
    assertThat(lines.process(line)).isEqualTo("VllmWorker rank=0 pid=4243");
    assertThat(lines.withoutProcess(line)).isEqualTo("Traceback (most recent call last):");
    // Ray's workers, through its driver: a task's pid alone, an actor's name, another node's address.
    assertThat(lines.process("(pid=45601) task")).isEqualTo("pid=45601");
    assertThat(lines.process("(RayWorkerWrapper pid=4244, ip=10.0.0.2) INFO 12-02 22:00:02 [worker.py:1] m"))
        .isEqualTo("RayWorkerWrapper pid=4244, ip=10.0.0.2");
    // PyTorch's rank, on each line of a distributed run's traceback and its C++ side's warnings.
    String rank = "[rank1]:   File \"/srv/app/train.py\", line 42, in <module>";
    assertThat(lines.process(rank)).isEqualTo("rank1");
    assertThat(lines.withoutProcess(rank)).isEqualTo("  File \"/srv/app/train.py\", line 42, in <module>");
    String nccl = "[rank0]:[W415 18:57:09.249883195 ProcessGroupNCCL.cpp:5138] Guessing device ID";
    assertThat(lines.process(nccl)).isEqualTo("rank0");
    assertThat(lines.withoutProcess(nccl)).isEqualTo("[W415 18:57:09.249883195 ProcessGroupNCCL.cpp:5138] Guessing device ID");
    assertThat(List.of("[rank]: x", "[rank1] x", "[ranked]: x")).allSatisfy(other -> assertThat(lines.process(other)).as(other).isNull());
    // torchrun's --tee 3: its role and local rank, no space after it.
    String tee = "[default3]:  File \"/srv/app/train.py\", line 42, in <module>";
    assertThat(lines.process(tee)).isEqualTo("default3");
    assertThat(lines.withoutProcess(tee)).as("the frame's indentation kept").isEqualTo("  File \"/srv/app/train.py\", line 42, in <module>");
    assertThat(List.of("[default]:x", "[defaults3]:x", "[default3] x", "[trainer0]:x"))
        .allSatisfy(other -> assertThat(lines.process(other)).as(other).isNull());
    // foreman's (and honcho's) Procfile processes: the time, the type and its number, padded, a bar.
    String procfile = "18:11:30 worker.1 | 2026-12-07 18:11:30,765 ERROR worker - CUDA out of memory";
    assertThat(lines.process(procfile)).isEqualTo("worker.1");
    assertThat(lines.withoutProcess(procfile)).isEqualTo("2026-12-07 18:11:30,765 ERROR worker - CUDA out of memory");
    assertThat(lines.process("18:11:29 web.1    | started with pid 8041")).isEqualTo("web.1");
    assertThat(lines.process("18:11:30 system   | sending SIGTERM to all processes")).isEqualTo("system");
    assertThat(lines.runnersReport()).as("foreman's own line, but of no process").isFalse();
    assertThat(lines.process("18:11:30 worker.1 | exited with code 3")).isEqualTo("worker.1");
    assertThat(lines.runnersReport()).as("foreman's report of worker.1").isTrue();
    lines.process(procfile);
    assertThat(lines.runnersReport()).as("worker.1's own line").isFalse();
    assertThat(List.of("18:11:30 INFO     | frame done", "18:11:30 worker | x", "18:11:30 worker.1 x", "18:11 worker.1 | x"))
        .allSatisfy(other -> assertThat(lines.process(other)).as(other).isNull());
    assertThat(List.of("(venv) $ python worker.py", "(pid=) x", "(pid=12)x", "(pid=12, ip=) x",
            "INFO 12-02 22:00:02 [x.py:1] (APIServer pid=1) y"))
        .allSatisfy(other -> assertThat(lines.process(other)).as(other).isNull());
  }

  /**
   * {@code foreman start --no-timestamp}, as Debian's foreman 0.87.2 printed it here: the process
   * and the bar without the time. Read for a process foreman said it started; a worker's own table
   * that begins so stays whole.
   */
  @Test
  void foremansProcessesWithoutItsTimesAreReadOnceForemanStartedThem() {
    VllmLines lines = new VllmLines(parser);
    String table = "layer.1 | 1024 | relu";
    assertThat(lines.process(table)).as("before any process started").isNull();
    assertThat(lines.process("system | ok")).as("before any process started").isNull();

    assertThat(lines.process("worker.1 | started with pid 32144")).isEqualTo("worker.1");
    assertThat(lines.runnersReport()).isTrue();
    assertThat(lines.process("web.1    | started with pid 32146")).isEqualTo("web.1");
    String logged = "worker.1 | 2026-12-07 20:23:23,664 ERROR root - CUDA out of memory";
    assertThat(lines.process(logged)).isEqualTo("worker.1");
    assertThat(lines.withoutProcess(logged)).isEqualTo("2026-12-07 20:23:23,664 ERROR root - CUDA out of memory");
    assertThat(lines.runnersReport()).isFalse();
    assertThat(lines.process("worker.1 | exited with code 3")).isEqualTo("worker.1");
    assertThat(lines.runnersReport()).isTrue();
    assertThat(lines.process("system   | sending SIGTERM to all processes")).isEqualTo("system");
    assertThat(lines.process("web.1    | terminated by SIGTERM")).isEqualTo("web.1");

    assertThat(List.of(table, "worker.2 | x", "worker.1| x", "worker.1 x", "worker | x", "1.5 | x", "2worker.1 | x"))
        .allSatisfy(other -> assertThat(lines.process(other)).as(other).isNull());
  }

  /** {@code pm2-runtime --formatted -i 2}, as PM2 7.0.4 printed it here: each app's id and name, padded, and a bar. */
  @Test
  void pm2sAppsInFrontOfTheirLinesAreTheirProcesses() {
    VllmLines lines = new VllmLines(parser);
    String frame = "0|render  |     at Timeout._onTimeout (/tmp/pm2t/worker.js:4:15)";
    assertThat(lines.process(frame)).isEqualTo("render:0");
    assertThat(lines.withoutProcess(frame)).isEqualTo("    at Timeout._onTimeout (/tmp/pm2t/worker.js:4:15)");
    assertThat(lines.process("1|render  | worker starting, pid 12351")).isEqualTo("render:1");
    assertThat(lines.process("12|video-encoder | x")).isEqualTo("video-encoder:12");
    assertThat(lines.runnersReport()).isFalse();

    assertThat(List.of("2026-12-07 20:50:38 x", "0|render| x", "0 | render | x", "|render | x", "1234567|render | x",
            "3|frames left | 2 | done"))
        .allSatisfy(other -> assertThat(lines.process(other)).as(other).isNull());
  }

  /**
   * {@code pm2-runtime --format}, as PM2 7.0.4 printed it here: logfmt's fields of the time, the
   * app, its id and the stream the app wrote to, then the line as {@code message}.
   */
  @Test
  void pm2sFieldsInFrontOfTheirLinesAreTheirProcessesAndTheirStreams() {
    VllmLines lines = new VllmLines(parser);
    String error = "timestamp=2026-12-08-02:59:23+0000 app=render id=0 type=error message=Error: boom in render";
    assertThat(lines.process(error)).isEqualTo("render:0");
    assertThat(lines.withoutProcess(error)).isEqualTo("Error: boom in render");
    assertThat(lines.stream("stdout")).isEqualTo("stderr");
    String out = "timestamp=2026-12-08-02:59:22+0000 app=video-encoder id=12 type=out message=  model=wan2.1";
    assertThat(lines.process(out)).isEqualTo("video-encoder:12");
    assertThat(lines.withoutProcess(out)).isEqualTo("  model=wan2.1");
    assertThat(lines.stream("stdout")).isEqualTo("stdout");
    assertThat(lines.runnersReport()).isFalse();

    assertThat(lines.process("0|render  | x")).isEqualTo("render:0");
    assertThat(lines.stream("stdout")).as("--formatted names no stream").isEqualTo("stdout");
    assertThat(lines.stream("stderr")).isEqualTo("stderr");
    assertThat(List.of("timestamp=2026-12-08-02:59:22+0000 app=pm2 message=App [render:0] online",
            "timestamp=2026-12-08-02:59:22+0000 app=render id=0 type=PM2 message=x", "timestamp=x", "message=x"))
        .allSatisfy(other -> assertThat(lines.process(other)).as(other).isNull());
  }

  @Test
  void aLineBeginsARecordUnlessItRepeatsThePrefixOfTheLineBeforeIt() {
    VllmLines lines = new VllmLines(parser);
    String prefix = "ERROR 12-02 22:00:03 [core.py:586] ";

    assertThat(beginsRecord(lines, prefix + "EngineCore failed to start.")).isTrue();
    assertThat(beginsRecord(lines, prefix + "Traceback (most recent call last):")).as("the same record's traceback").isFalse();
    assertThat(beginsRecord(lines, "(EngineCore_DP0 pid=4242) " + prefix + "Traceback (most recent call last):"))
        .as("another process's").isTrue();
    assertThat(beginsRecord(lines, "(EngineCore_DP0 pid=4242) " + prefix + "  File \"core.py\", line 577")).isFalse();
    assertThat(beginsRecord(lines, "(EngineCore_DP0 pid=4242) INFO 12-02 22:00:04 [api_server.py:1] Stopping")).isTrue();
    assertThat(beginsRecord(lines, "(EngineCore_DP0 pid=4242) a line of another format")).as("not vLLM's").isFalse();
    assertThat(beginsRecord(lines, "(EngineCore_DP0 pid=4242) INFO 12-02 22:00:04 [api_server.py:1] Stopping"))
        .as("after a line of another format").isTrue();
    assertThat(beginsRecord(lines, "(APIServer pid=1) a line of another format")).as("another process's").isTrue();
    assertThat(beginsRecord(lines, "a line of the worker's own")).as("no process's").isTrue();
    assertThat(beginsRecord(lines, "another")).isFalse();
  }

  @Test
  void aLineContinuesTheRecordBeforeItWhereThatEndedWithCarriageReturnNewlineAndTheirPrefixesAgree() {
    VllmLines lines = new VllmLines(parser);
    String prefix = "INFO 12-02 22:00:03 [loader.py:12] ";

    lines.parse(prefix + "Loaded weights:", "stdout", true);
    assertThat(lines.continuesRecord()).isFalse();
    assertThat(lines.moreFollows()).isTrue();
    lines.parse(prefix + "  shard 1 of 2", "stdout", true);
    assertThat(lines.continuesRecord()).isTrue();
    lines.parse(prefix + "  shard 2 of 2", "stdout", false);
    assertThat(lines.continuesRecord()).isTrue();
    assertThat(lines.moreFollows()).as("its last line").isFalse();
    lines.parse(prefix + "Loaded weights:", "stdout", false);
    assertThat(lines.continuesRecord()).as("a loop's record at the same place, in the same second").isFalse();
    lines.parse(prefix + "next", "stdout", false);
    assertThat(lines.continuesRecord()).as("the line before it ended with \\n alone").isFalse();
    lines.parse(prefix + "first", "stdout", true);
    lines.parse("INFO 12-02 22:00:04 [loader.py:12] second", "stdout", false);
    assertThat(lines.continuesRecord()).as("another second's").isFalse();
  }

  /** Reads a line as heartlog run does: its process, then the rest. */
  private static boolean beginsRecord(VllmLines lines, String line) {
    String process = lines.process(line);
    lines.parse(process == null ? line : lines.withoutProcess(line), "stdout", false);
    return lines.beginsRecord();
  }
}
