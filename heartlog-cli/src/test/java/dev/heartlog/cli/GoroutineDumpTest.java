package dev.heartlog.cli;

import static dev.heartlog.cli.WrappedWorkers.stderrRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Go worker's dump of every goroutine's stack as it dies of SIGQUIT ({@code kill -QUIT}, as one
 * asks a hung Go worker what it is doing), printed by the Go that builds the tests' programs: a
 * worker that sends itself the signal.
 */
@Timeout(120)
class GoroutineDumpTest {

  private static final Pattern FOLDED =
      Pattern.compile("\n\t… and (\\d+) more goroutines? with this stack, folded by heartlog run: goroutine \\d+( … goroutine \\d+)?\n");

  private static final Pattern HEADER = Pattern.compile("(?m)^goroutine \\d+ \\[");

  @TempDir Path folder;

  @Test
  void aWorkersPoolWaitingAlikeIsFoldedAndTheGoroutineStuckKept() throws Exception {
    List<StoredRecord> records = run("goroutine-dump-pool", """
        func worker(id int, jobs <-chan int) {
        \tfor job := range jobs {
        \t\tfmt.Println(id, job)
        \t}
        }

        func render(frame int) {
        \ttime.Sleep(time.Hour)
        }

        func main() {
        \tjobs := make(chan int)
        \tfor i := 0; i < 500; i++ {
        \t\tgo worker(i, jobs)
        \t}
        \tgo render(42)
        \tquit()
        }
        """);

    // Before: 4,089 warnings, a line or a call and its place each.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message)
        .containsExactly(tuple("ERROR", "SIGQUIT: quit"));
    String dump = records.get(0).exception();
    assertThat(dump).startsWith("SIGQUIT: quit\nPC=0x").hasSizeLessThan(12 * 1024)
        .contains("\nmain.render(", "\nmain.main()\n")
        .containsPattern("\nrip +0x\\p{XDigit}+\n")   // the registers, at its end
        .doesNotContain("lines of the dump here");
    // the pool's goroutines: each call's arguments and frame's addresses differ, their stack not
    int folded = 0;
    int most = 0;
    for (Matcher fold = FOLDED.matcher(dump); fold.find(); ) {
      folded += Integer.parseInt(fold.group(1));
      most = Math.max(most, Integer.parseInt(fold.group(1)));
    }
    assertThat(most).isGreaterThan(450);
    assertThat(folded + HEADER.matcher(dump).results().count()).isGreaterThan(501);
  }

  @Test
  void aDumpOfManyStacksIsCutAmongItsGoroutinesKeepingItsRegisters() throws Exception {
    List<StoredRecord> records = run("goroutine-dump-cut", """
        func deep(depth int) {
        \tif depth > 0 {
        \t\tdeep(depth - 1)
        \t} else {
        \t\ttime.Sleep(time.Hour)
        \t}
        }

        func main() {
        \tfor i := 0; i < 200; i++ {
        \t\tgo deep(i % 50)   // 50 stacks, of 1 to 50 calls of deep
        \t}
        \tfmt.Println("rendering")
        \tquit()
        }
        """);

    assertThat(records).extracting(StoredRecord::message).containsExactly("SIGQUIT: quit");
    String dump = records.get(0).exception();
    assertThat(dump).startsWith("SIGQUIT: quit\nPC=0x").hasSizeLessThan(30 * 1024)
        .containsPattern("\n… \\[heartlog run left out \\d+ lines of the dump here, to keep it to 30 KiB]\n(\n)?rax +0x")
        .containsPattern("\nrip +0x\\p{XDigit}+\n")
        .containsPattern(FOLDED);
  }

  /** The records on stderr of a Go program of these functions, which calls {@code quit()} to send itself SIGQUIT. */
  private List<StoredRecord> run(String worker, String functions) throws Exception {
    String url = TestDatabase.migratedUrl();
    Store store = Store.open(url, null, null);
    Path source = Files.writeString(folder.resolve("worker.go"), """
        package main

        import (
        \t"fmt"
        \t"os"
        \t"syscall"
        \t"time"
        )

        func quit() {
        \ttime.Sleep(300 * time.Millisecond)
        \tsyscall.Kill(os.Getpid(), syscall.SIGQUIT)
        \ttime.Sleep(time.Second)
        }

        """ + functions);
    Path program = WrappedWorkers.goBuild(folder, source);
    Cli.Result result = WrappedWorkers.heartlogRun(folder, worker, url, List.of(), program.toString());
    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    return stderrRecords(store, worker);
  }
}
