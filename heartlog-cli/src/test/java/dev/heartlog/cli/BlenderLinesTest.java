package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.agent.RecordMetadata;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blender's lines as heartlog run stores them ({@link BlenderLines}, {@link
 * LevelNames#levelWordFirst}). The replayed lines are what Debian's Blender 3.4.1 printed on
 * stdout rendering the default cube in the background ({@code blender -b --factory-startup -P
 * render.py}): two frames of 64×48 with Cycles at 16 samples; the same with Cycles' denoiser on,
 * which this build lacks, so that the script's render call raised; two frames with Eevee; a
 * scene read and a script that does not compile ({@code blender -b scene.blend -P syntax.py}).
 */
class BlenderLinesTest {

  @TempDir Path folder;

  @Test
  void eachFramesStatusIsItsFirstAndLastStateNotFortyLines() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "blender-3.4.1-cycles.txt", "blender-cycles");

    // Before, each of the 88 lines was a record: 40 status lines a frame.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Blender 3.4.1"),
        tuple("INFO", "Fra:1 Mem:9.35M (Peak 9.42M) | Time:00:00.00 | Mem:0.00M, Peak:0.00M | Scene, ViewLayer"
            + " | Synchronizing object | Cube"),
        tuple("INFO", "Fra:1 Mem:10.37M (Peak 10.47M) | Time:00:00.05 | Mem:0.86M, Peak:0.86M | Scene, ViewLayer"
            + " | Finished"),
        tuple("INFO", "Saved: '/tmp/blend/out/frame_0001.png'\n Time: 00:00.17 (Saving: 00:00.11)"),
        tuple("INFO", "Fra:2 Mem:9.60M (Peak 10.47M) | Time:00:00.00 | Mem:0.00M, Peak:0.00M | Scene, ViewLayer"
            + " | Synchronizing object | Cube"),
        tuple("INFO", "Fra:2 Mem:10.37M (Peak 10.47M) | Time:00:00.01 | Mem:0.86M, Peak:0.86M | Scene, ViewLayer"
            + " | Finished"),
        tuple("INFO", "Saved: '/tmp/blend/out/frame_0002.png'\n Time: 00:00.01 (Saving: 00:00.00)"),
        tuple("INFO", "Blender quit"));
    assertThat(records.get(2).metadataJson()).contains("\"kind\": \"progress\"", "\"component\": \"blender\"",
        "\"frame\": 1");
    assertThat(records.get(5).metadataJson()).contains("\"frame\": 2");
    assertThat(records.get(6).metadataJson()).as("the frame it saved").contains("\"frame\": 2", "\"component\": \"blender\"");
    assertThat(records.get(3).metadataJson()).contains("\"frame\": 1");
    assertThat(records.get(7).metadataJson()).as("Blender quit").doesNotContain("frame");
  }

  @Test
  void aScriptsTracebackIsOneErrorAndBlendersErrorReportAnError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "blender-3.4.1-python-error.txt", "blender-error");

    // Before, both reports were INFO, as stdout's lines are, and the traceback seven records.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Blender 3.4.1"),
        tuple("INFO", "Fra:1 Mem:9.35M (Peak 9.42M) | Time:00:00.00 | Mem:0.00M, Peak:0.00M | Scene, ViewLayer"
            + " | Synchronizing object | Cube"),
        tuple("INFO", "Fra:1 Mem:10.21M (Peak 10.47M) | Time:00:00.03 | Mem:0.76M, Peak:0.76M | Scene, ViewLayer"
            + " | Build without OpenImageDenoiser"),
        tuple("ERROR", "Error: Build without OpenImageDenoiser"),
        tuple("ERROR", "RuntimeError: Error: Build without OpenImageDenoiser"),
        tuple("INFO", "Blender quit"));
    assertThat(records.get(4).exception()).startsWith("Traceback (most recent call last):\n"
            + "  File \"/tmp/blend/denoise.py\", line 10, in <module>\n")
        .endsWith("\nRuntimeError: Error: Build without OpenImageDenoiser");
  }

  @Test
  void aScriptThatDoesNotCompileIsOneError() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "blender-3.4.1-syntax-error.txt", "blender-syntax");

    // Before, an error (the location, as Blender's report) and three INFO records. In one read
    // with the line before it, the location is not read as more of that line.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", "Blender 3.4.1"),
        tuple("INFO", "Read blend: /tmp/blend/scene.blend"),
        tuple("ERROR", "SyntaxError: '(' was never closed"),
        tuple("INFO", "Blender quit"));
    assertThat(records.get(2).exception()).isEqualTo(
        "  File \"/tmp/blend/syntax.py\", line 2\n    x = (\n        ^\nSyntaxError: '(' was never closed");
  }

  @Test
  void eeveesStatusIsReadSoToo() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayed(folder, "blender-3.4.1-eevee.txt", "blender-eevee");

    assertThat(records).extracting(StoredRecord::message).containsExactly(
        "Blender 3.4.1",
        "Fra:1 Mem:11.09M (Peak 12.21M) | Time:00:01.38 | Syncing Cube",
        "Fra:1 Mem:11.10M (Peak 12.21M) | Time:00:04.14 | Rendering 64 / 64 samples",
        "Saved: '/tmp/blend/out/frame_0001.png'\n Time: 00:04.24 (Saving: 00:00.09)",
        "Fra:2 Mem:11.10M (Peak 12.21M) | Time:00:00.00 | Syncing Cube",
        "Fra:2 Mem:11.10M (Peak 12.21M) | Time:00:00.11 | Rendering 64 / 64 samples",
        "Saved: '/tmp/blend/out/frame_0002.png'\n Time: 00:00.12 (Saving: 00:00.00)",
        "Blender quit");
  }

  @Test
  void aFramesLastStateHasTheTimeItWasPrintedNotTheTimeTheFrameWasSaved() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    String status = "Fra:1 Mem:10.37M (Peak 10.47M) | Time:00:00.05 | Mem:0.86M, Peak:0.86M | Scene, ViewLayer | ";
    // As Blender prints a frame's last state, then saves it: a large EXR takes seconds.
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "blender-saving", url, List.of(), "sh", "-c",
        "echo '" + status + "Sample 0/16'; echo '" + status + "Finished'; sleep 2; echo \"Saved: '/srv/out/0001.exr'\"");
    assertThat(result.exitCode()).as(result.err()).isZero();

    List<StoredRecord> records = WrappedWorkers.records(store, "blender-saving");
    StoredRecord finished = records.stream().filter(r -> r.message().endsWith("| Finished")).findFirst().orElseThrow();
    StoredRecord saved = records.stream().filter(r -> r.message().startsWith("Saved:")).findFirst().orElseThrow();
    // Passed on when the Saved line came, it had that line's time before.
    assertThat(Duration.between(finished.timestamp(), saved.timestamp())).isGreaterThan(Duration.ofMillis(1500));
  }

  @Test
  void aSavedFrameAndTheTimeItTookAreOneRecordThoughReadApart() throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Cli.Result result = WrappedWorkers.heartlogRun(folder, "blender-saved", url, List.of(), "sh", "-c",
        "echo \"Saved: '/srv/out/0001.exr'\"; sleep 0.1; echo ' Time: 00:09.17 (Saving: 00:00.11)'; echo 'Blender quit'");
    assertThat(result.exitCode()).as(result.err()).isZero();

    // Before, two records where the second line came in a read of its own (by hand, Blender 3.4.1's
    // second frame of the default cube).
    assertThat(WrappedWorkers.records(store, "blender-saved")).extracting(StoredRecord::message)
        .filteredOn(message -> !message.startsWith("heartlog run") && !message.startsWith("the worker process"))
        .containsExactly("Saved: '/srv/out/0001.exr'\n Time: 00:09.17 (Saving: 00:00.11)", "Blender quit");
  }

  @Test
  void aStatusLineIsBlendersOnlyInBlendersForm() {
    assertThat(BlenderLines.status("Fra:12 Mem:10.37M (Peak 10.47M) | Time:00:00.05 | Sample 16/16",
        new RecordMetadata(3)).metadata()).containsEntry("frame", 12L).containsEntry("component", "blender");
    assertThat(BlenderLines.status("Fra:125 Mem:12.33M (0.00M, Peak 14.46M) | Time:00:00.12 | Mem:0.66M, Peak:0.66M"
        + " | Background Lines, RenderLayer | Updating Particle Systems", new RecordMetadata(3)).metadata())
        .as("Blender 2's, with a second figure").containsEntry("frame", 125L);
    assertThat(List.of("Fra:12 rendering", "Fra:x Mem:10.37M (Peak 10.47M) | Time:00:00.05",
            "Fra:1 Mem:10M (Peak 10M) | Time:00:00.05", "frame 12 Mem:10.37M (Peak 10.47M) | Time:00:00.05"))
        .allSatisfy(line -> assertThat(BlenderLines.status(line, new RecordMetadata(3))).as(line).isNull());
  }

  @Test
  void aLineBeginningWithALevelsWordAndAColonIsAtThatLevel() {
    assertThat(LevelNames.levelWordFirst("Error: Cannot read file '/srv/scenes/shot12.blend'")).isEqualTo(Level.ERROR);
    assertThat(LevelNames.levelWordFirst("Out Of Memory Error: cannot allocate 2 GiB")).isEqualTo(Level.ERROR);
    assertThat(LevelNames.levelWordFirst("Warning: 3 textures are missing")).isEqualTo(Level.WARNING);
    assertThat(LevelNames.levelWordFirst("Info: Saved \"shot12.blend\"")).isEqualTo(Level.INFO);
    assertThat(List.of("Error:", "Error: ", "Error:  two spaces", "error: lower case", "ERROR: pip's",
            "Error rate: 0.3", "Errors: 3", "Training Error: 0.02 after a long name"))
        .allSatisfy(line -> assertThat(LevelNames.levelWordFirst(line)).as(line).isNull());
  }
}
