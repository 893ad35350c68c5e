package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.agent.Level;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message of several lines written in one write, a logger's or a print's, is one record:
 * {@link Tracebacks} given a stream's lines, and real workers under {@code heartlog run}.
 */
class MessagesOfSeveralLinesTest extends TracebacksTestSupport {

  @TempDir Path folder;

  @Test
  void aLoggersLineOfAnyLevelTakesTheIndentedLinesInItsReadAsItsMessageButNoTracebackBelowWarning() {
    String frame = "  File \"w.py\", line 3, in <module>";
    tracebacks.reading(true, nanos);   // log.info("config:\n  model=wan2.1\n\n  frames=81\n")
    printOwn(Level.INFO, "INFO:render:config:");
    assertThat(furtherLine("  model=wan2.1")).isTrue();
    assertThat(furtherLine("")).as("a blank line, kept for the line after it").isTrue();
    assertThat(furtherLine("  frames=81")).isTrue();
    assertThat(furtherLine("")).isTrue();
    assertThat(furtherLine("a line of text")).as("not indented: a print of its own, read with it").isFalse();
    print(Level.INFO, "a line of text");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    assertThat(furtherLine("  printed later")).as("its read is over: nothing held").isFalse();
    print(Level.INFO, "  printed later");
    printOwn(Level.DEBUG, "DEBUG:render:cache:");
    assertThat(furtherLine("{'hits': 12,")).as("pprint's first line").isTrue();
    assertThat(furtherLine(" 'misses': 3}")).isTrue();
    printOwn(Level.INFO, "INFO:render:retrying");   // a crash right after it, read with it on a busy machine
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, frame);
    print(Level.WARNING, "KeyError: 'model'");
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "INFO INFO:render:config:\n  model=wan2.1\n\n  frames=81 t-1 0 -",
        "INFO a line of text t-1 6 -",
        "INFO   printed later t-1 8 -",
        "DEBUG DEBUG:render:cache:\n{'hits': 12,\n 'misses': 3} t-1 9 -",
        "INFO INFO:render:retrying t-1 12 -",
        "ERROR KeyError: 'model' t-1 13 Traceback (most recent call last):\n" + frame + "\nKeyError: 'model'");
  }

  @Test
  void theJvmsCrashReportRightAfterAnErrorIsNoMoreOfItsMessage() {
    // -XX:+CrashOnOutOfMemoryError: the JVM's last line, then its crash's report, in one read
    // on a busy machine; the report's first lines were the line's message, the rest INFO lines.
    tracebacks.reading(true, nanos);
    printOwn(Level.CRITICAL, "Aborting due to java.lang.OutOfMemoryError: Java heap space");
    assertThat(furtherLine("#")).isFalse();
    List<String> report = List.of("#", "# A fatal error has been detected by the Java Runtime Environment:", "#",
        "#  Internal Error (debug.cpp:362), pid=9468, tid=9476", "#  fatal error: OutOfMemory encountered: Java heap space",
        "#");
    report.forEach(text -> print(Level.INFO, text));
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "CRITICAL Aborting due to java.lang.OutOfMemoryError: Java heap space t-1 0 -",
        "ERROR A fatal error has been detected by the Java Runtime Environment: Internal Error (debug.cpp:362): fatal"
            + " error: OutOfMemory encountered: Java heap space t-1 2 " + String.join("\n", report));
  }

  @Test
  void aTableOfFieldsBelowALoggersLineIsItsMessage() {
    tracebacks.reading(true, nanos);   // Dask's worker (Debian's 2022.12.1) on a task that raised, in one write
    printOwn(Level.WARNING, "Compute Failed");
    assertThat(furtherLine("Key:       render-1520d7c047306e10a248b5615d25472d")).isTrue();
    assertThat(furtherLine("Function:  render")).isTrue();
    assertThat(furtherLine("args:      (3)")).isTrue();
    assertThat(furtherLine("kwargs:    {}")).isTrue();
    assertThat(furtherLine("Exception: \"RuntimeError('frame 3: CUDA error')\"")).as("a row, though it names an exception")
        .isTrue();
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    printOwn(Level.WARNING, "WARNING:render:retrying");
    assertThat(furtherLine("status: ok")).as("one space, and no row before it: a print of its own").isFalse();
    print(Level.WARNING, "status: ok");
    tracebacks.reading(false, nanos);
    tracebacks.end();

    // Before, each row was a warning of its own, and the last an exception's line.
    assertThat(recorded).containsExactly(
        "WARNING Compute Failed\nKey:       render-1520d7c047306e10a248b5615d25472d\nFunction:  render\nargs:      (3)\n"
            + "kwargs:    {}\nException: \"RuntimeError('frame 3: CUDA error')\" t-1 0 -",
        "WARNING WARNING:render:retrying t-1 6 -",
        "WARNING status: ok t-1 8 -");
  }

  @Test
  void aLineBeginningWithATagInBracketsIsALineOfItsOwnButAListOrAnObjectGoesOnTheMessage() {
    tracebacks.reading(true, nanos);   // log.warning(...), then the worker's own prints, in one read
    printOwn(Level.WARNING, "WARNING:train:loss spiked at step 3");
    assertThat(furtherLine("[step 3/10] loss=0.41 lr=3e-4")).as("a print's tag").isFalse();
    print(Level.WARNING, "[step 3/10] loss=0.41 lr=3e-4");
    assertThat(furtherLine("(pid=4121) shard 3 loaded")).as("Ray's prefix").isFalse();
    print(Level.WARNING, "(pid=4121) shard 3 loaded");
    printOwn(Level.INFO, "INFO:train:ids:");
    assertThat(furtherLine("[1, 2, 3]")).as("a short list, pprint's one line").isTrue();
    printOwn(Level.INFO, "INFO:train:pairs:");
    assertThat(furtherLine("[('a', 1),")).isTrue();
    assertThat(furtherLine(" ('b', 2)]")).isTrue();
    print(Level.INFO, "job:");   // console.log('job:', obj) in Node, without a prototype
    assertThat(furtherLine("[Object: null prototype] {")).isTrue();
    assertThat(furtherLine("  shot: 12 }")).isTrue();
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "WARNING WARNING:train:loss spiked at step 3 t-1 0 -",
        "WARNING [step 3/10] loss=0.41 lr=3e-4 t-1 2 -",
        "WARNING (pid=4121) shard 3 loaded t-1 4 -",
        "INFO INFO:train:ids:\n[1, 2, 3] t-1 5 -",
        "INFO INFO:train:pairs:\n[('a', 1),\n ('b', 2)] t-1 7 -",
        "INFO job:\n[Object: null prototype] {\n  shot: 12 } t-1 10 -");
  }

  @Test
  void aLineNamingNoLevelTakesTheIndentedLinesInItsReadButNoTraceback() {
    tracebacks.reading(true, nanos);   // print(json.dumps(result, indent=2))
    print(Level.INFO, "{");
    assertThat(furtherLine("  \"shot\": 12,")).isTrue();
    assertThat(furtherLine("  \"frames\": [1, 2]")).isTrue();
    assertThat(furtherLine("}")).isTrue();
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    print(Level.WARNING, "printed on stderr");   // and a crash right after it, read with it
    print(Level.WARNING, "Traceback (most recent call last):");
    print(Level.WARNING, "  File \"w.py\", line 3, in <module>");
    print(Level.WARNING, "KeyError: 'model'");
    tracebacks.reading(false, nanos);
    tracebacks.end();

    assertThat(recorded).containsExactly(
        "INFO {\n  \"shot\": 12,\n  \"frames\": [1, 2]\n} t-1 0 -",
        "WARNING printed on stderr t-1 4 -",
        "ERROR KeyError: 'model' t-1 5 Traceback (most recent call last):\n  File \"w.py\", line 3, in <module>\n"
            + "KeyError: 'model'");
  }

  @Test
  void aJsonDocumentAWorkerPrintsAndAnObjectNodeLogsAreOneRecordEach() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) && Files.isExecutable(Path.of("/usr/bin/node")),
        "python3 and node are needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path python = Files.writeString(folder.resolve("result.py"), """
        import json, sys, time
        # As print() writes it: the text, then its line end apart. 100 ms apart here, so that they
        # come in two reads, as they do where the reading falls between them.
        sys.stdout.write(json.dumps({"shot": 12, "frames": [1, 2], "model": {"name": "wan2.1"}}, indent=2))
        sys.stdout.flush()
        time.sleep(0.1)
        sys.stdout.write("\\n")
        sys.stdout.flush()
        time.sleep(0.3)
        print("next line", flush=True)
        """);
    Path node = Files.writeString(folder.resolve("result.js"), """
        console.log({ shot: 12, frames: Array.from({ length: 30 }, (_, i) => i), model: { name: 'wan2.1' } });
        setTimeout(() => console.log('next line'), 300);
        """);

    Cli.Result printed = WrappedWorkers.heartlogRun(folder, "wrapped-json", url, List.of(), "/usr/bin/python3", python.toString());
    Cli.Result logged = WrappedWorkers.heartlogRun(folder, "wrapped-object", url, List.of(), "/usr/bin/node", node.toString());

    assertThat(printed.exitCode()).as(printed.err()).isZero();
    assertThat(logged.exitCode()).as(logged.err()).isZero();
    // Before, each line of the document was a record of its own: 11 records, and 10 for the object.
    assertThat(stdout(store, "wrapped-json")).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "{\n  \"shot\": 12,\n  \"frames\": [\n    1,\n    2\n  ],\n  \"model\": {\n    \"name\": \"wan2.1\"\n  }\n}"),
        tuple("INFO", "next line"));
    assertThat(stdout(store, "wrapped-object")).extracting(StoredRecord::message).satisfiesExactly(
        object -> assertThat(object).startsWith("{\n  shot: 12,\n  frames: [\n").endsWith("  model: { name: 'wan2.1' }\n}"),
        next -> assertThat(next).isEqualTo("next line"));
  }

  @Test
  void aLoggersLineThatSaysNothingHasItsMessageOnTheLinesWrittenWithIt() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    // What torchrun (torch 1.13, Debian's) logs as it starts several processes, in the same
    // call; then a logger's line with a message, and a print, each a write of its own.
    Path python = Files.writeString(folder.resolve("launcher.py"), """
        import logging, sys, time
        logging.basicConfig()
        log = logging.getLogger("torch.distributed.run")
        log.warning("\\n*****************************************\\n"
                    "Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid "
                    "your system being overloaded, please further tune the variable for optimal performance in "
                    "your application as needed. \\n"
                    "*****************************************")
        time.sleep(0.3)
        log.warning("starting 2 processes\\nnot indented: a print's line, read with it")
        time.sleep(0.3)
        print("a print of its own", file=sys.stderr)
        """);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "wrapped-banner", url, List.of(), "/usr/bin/python3",
        python.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    // Before, the banner was four warnings, the first with no message.
    assertThat(records(store, "wrapped-banner")).filteredOn(record -> record.metadataJson().contains("stderr"))
        .extracting(StoredRecord::level, StoredRecord::message).containsExactly(
            tuple("WARNING", "*****************************************\nSetting OMP_NUM_THREADS environment variable for "
                + "each process to be 1 in default, to avoid your system being overloaded, please further tune the "
                + "variable for optimal performance in your application as needed.\n*****************************************"),
            tuple("WARNING", "starting 2 processes"),
            tuple("WARNING", "not indented: a print's line, read with it"),
            tuple("WARNING", "a print of its own"));
    assertThat(records(store, "wrapped-banner").get(0).metadataJson()).contains("\"logger\": \"torch.distributed.run\"");
  }

  @Test
  void aLoggersLineEndingInAColonTakesTheLinesOfTextInItsReadUnlessTheFirstIsIndented() {
    tracebacks.reading(true, nanos);   // log.info("Loaded config:\n%s", yaml.dump(config))
    printOwn(Level.INFO, "INFO:render:Loaded config:");
    assertThat(furtherLine("model: wan2.1")).as("not indented, but what the colon introduces").isTrue();
    assertThat(furtherLine("sampler:")).isTrue();
    assertThat(furtherLine("  name: euler")).isTrue();
    assertThat(furtherLine("steps: 30")).as("back at the first line's margin").isTrue();
    printOwn(Level.INFO, "INFO:render:Settings:");   // log.info("Settings:\n  batch 4"), then a print
    assertThat(furtherLine("  batch 4")).isTrue();
    assertThat(furtherLine("a print of its own")).as("the colon's lines are indented: this one is not").isFalse();
    print(Level.INFO, "a print of its own");
    print(Level.INFO, "Results:");   // a print's colon: prints come in reads of many
    assertThat(furtherLine("frame 3 done")).as("not a logger's line").isFalse();
    print(Level.INFO, "frame 3 done");
    printOwn(Level.INFO, "INFO:render:Waiting for tasks:");
    tracebacks.reading(false, nanos);
    tracebacks.reading(true, nanos);
    assertThat(furtherLine("printed later")).as("its read is over: nothing held").isFalse();
    print(Level.INFO, "printed later");
    tracebacks.end();

    // Before, each line of the YAML document not indented was an INFO record of its own.
    assertThat(recorded).containsExactly(
        "INFO INFO:render:Loaded config:\nmodel: wan2.1\nsampler:\n  name: euler\nsteps: 30 t-1 0 -",
        "INFO INFO:render:Settings:\n  batch 4 t-1 5 -",
        "INFO a print of its own t-1 8 -",
        "INFO Results: t-1 9 -",
        "INFO frame 3 done t-1 11 -",
        "INFO INFO:render:Waiting for tasks: t-1 12 -",
        "INFO printed later t-1 14 -");
  }

  @Test
  void aWrappedPythonLoggersMessageBelowAColonIsOneRecord() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path python = Files.writeString(folder.resolve("config.py"), """
        import logging, time
        logging.basicConfig(level=logging.INFO)
        log = logging.getLogger("render")
        log.info("Loaded config:\\n%s", "model: wan2.1\\nsampler:\\n  name: euler\\nsteps: 30")
        time.sleep(0.3)
        log.info("Ready")
        """);

    Cli.Result result = WrappedWorkers.heartlogRun(folder, "wrapped-config", url, List.of(), "/usr/bin/python3",
        python.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    // Before, "model: wan2.1" and "steps: 30" were records of their own, "sampler:" one with its line.
    assertThat(records(store, "wrapped-config")).filteredOn(record -> record.metadataJson().contains("stderr"))
        .extracting(StoredRecord::level, StoredRecord::message).containsExactly(
            tuple("INFO", "Loaded config:\nmodel: wan2.1\nsampler:\n  name: euler\nsteps: 30"),
            tuple("INFO", "Ready"));
  }

  private static List<StoredRecord> stdout(Store store, String worker) throws Exception {
    return records(store, worker).stream().filter(record -> record.metadataJson().contains("\"stream\": \"stdout\"")).toList();
  }

  @Test
  void aLineHeldForTheEndOfALineAReadCutWaitsNoLongerThanAQuietPeriodWhateverIsReadMeanwhile() {
    tracebacks.reading(true, nanos);
    printOwn(Level.INFO, "INFO:render:frame 7 done");
    tracebacks.reading(false, nanos, true);   // and the start of a progress bar, "\r 51%|█████"
    for (int redraw = 0; redraw < 10; redraw++) {   // its redraws, every 50 ms: no line ends
      pause(QUIET / 4);
      tracebacks.reading(true, nanos);
      tracebacks.reading(false, nanos, true);
      tracebacks.tick(nanos);
    }

    assertThat(recorded).containsExactly("INFO INFO:render:frame 7 done t-1 0 -");
  }
}
