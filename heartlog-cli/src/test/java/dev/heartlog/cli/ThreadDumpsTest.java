package dev.heartlog.cli;

import static dev.heartlog.cli.ThreadDumps.Runtime.GO;
import static dev.heartlog.cli.ThreadDumps.Runtime.JVM;
import static dev.heartlog.cli.ThreadDumps.Runtime.PYTHON;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What heartlog run keeps of a dump of every thread's stack: HotSpot's, in lines as JDK 17's
 * {@code jstack -l} prints them, Go's and Python's.
 */
class ThreadDumpsTest {

  private static final String FIRST = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):";

  @Test
  void aDumpThatFitsIsKeptWholeItsThreadsThatWaitAlikeToo() {
    List<String> dump = new ArrayList<>(List.of(FIRST, ""));
    dump.addAll(idle("pool-1-thread-1", 12, POOL_1));
    dump.addAll(idle("pool-1-thread-2", 13, POOL_1));
    dump.add("JNI global refs: 7, weak refs: 0");

    assertThat(ThreadDumps.kept(JVM, dump, 0)).isEqualTo(String.join("\n", dump));
    // its lines past the 2 MiB read, counted: folded, it fits
    assertThat(ThreadDumps.kept(JVM, dump, 5)).isEqualTo(String.join("\n", concat(dump.subList(0, 2),
        withFold(idle("pool-1-thread-1", 12, POOL_1),
            "\t… and 1 more thread with this stack, folded by heartlog run: \"pool-1-thread-2\""),
        List.of("JNI global refs: 7, weak refs: 0",
            "… [heartlog run left out the dump's last 5 lines, past the first 2 MiB it reads]"))));
  }

  @Test
  void threadsWithAnEarlierThreadsStackLineForLineAreFoldedIntoIt() {
    List<String> head = List.of(FIRST, "", "Threads class SMR info:",
        "_java_thread_list=0x00007f59ac64ac10, length=412, elements={",
        "0x00007f59ac018020, 0x00007f59ac0f6e80, 0x00007f59ac0f8260, 0x00007f59ac0ffea0,",
        "0x00007f59ac101250, 0x00007f59ac102660", "}", "");
    List<String> hotSpots = List.of(   // no frames: never folded
        "\"GC Thread#0\" os_prio=0 cpu=17.58ms elapsed=0.94s tid=0x00007f59ac0419d0 nid=0x7115 runnable  ", "",
        "\"GC Thread#1\" os_prio=0 cpu=21.89ms elapsed=0.39s tid=0x00007f59240049b0 nid=0x7126 runnable  ", "");
    List<String> end = List.of("JNI global refs: 7, weak refs: 0", "",
        "Java stack information for the threads listed above:",
        "===================================================",
        "\"render-1\":",   // the same stack twice, but no thread's first line
        "\tat Render.lambda$main$0(Render.java:11)",
        "\"upload-1\":",
        "\tat Render.lambda$main$0(Render.java:11)",
        "",
        "Found 1 deadlock.");
    List<String> dump = concat(head,
        idle("pool-1-thread-1", 12, POOL_1), idle("pool-1-thread-2", 13, POOL_1), idle("pool-2-thread-1", 14, POOL_2),
        idle("pool-1-thread-3", 15, POOL_1), idle("pool-1-thread-4", 16, POOL_1),
        blocked("render-1", 20, "0x000000069ec77ff0"), blocked("render-2", 21, "0x000000069ec77fe0"),
        blocked("render-3", 22, "0x000000069ec77fe0"), hotSpots, end);

    assertThat(ThreadDumps.folded(JVM, dump)).containsExactlyElementsOf(concat(
        List.of(FIRST, "", "Threads class SMR info:", "_java_thread_list=0x00007f59ac64ac10, length=412, elements={",
            "… [heartlog run left out 2 lines of the threads' addresses]", "}", ""),
        withFold(idle("pool-1-thread-1", 12, POOL_1),
            "\t… and 3 more threads with this stack, folded by heartlog run: \"pool-1-thread-2\" … \"pool-1-thread-4\""),
        idle("pool-2-thread-1", 14, POOL_2),   // another pool's queue
        blocked("render-1", 20, "0x000000069ec77ff0"),
        withFold(blocked("render-2", 21, "0x000000069ec77fe0"),   // another lock than render-1's
            "\t… and 1 more thread with this stack, folded by heartlog run: \"render-3\""),
        hotSpots, end));
  }

  @Test
  void twoThreadsFoldedAreNamedBoth() {
    List<String> dump = new ArrayList<>(List.of(FIRST, ""));
    dump.addAll(idle("pool-1-thread-1", 12, POOL_1));
    dump.addAll(idle("pool-1-thread-2", 13, POOL_1));
    dump.addAll(idle("pool-1-thread-3", 14, POOL_1));
    List<String> end = List.of("JNI global refs: 7, weak refs: 0", "", "Heap",   // not the last thread's
        " garbage-first heap   total 397312K, used 10610K [0x0000000687400000, 0x0000000800000000)");
    dump.addAll(end);

    assertThat(ThreadDumps.folded(JVM, dump)).containsExactlyElementsOf(concat(List.of(FIRST, ""),
        withFold(idle("pool-1-thread-1", 12, POOL_1),
            "\t… and 2 more threads with this stack, folded by heartlog run: \"pool-1-thread-2\" and \"pool-1-thread-3\""),
        end));
  }

  @Test
  void goroutinesInOneStateWithTheSameCallsAtTheSamePlacesAreFolded() {
    List<String> panicking = List.of("goroutine 21 [running]:", "main.main.func1()", "\t/app/main.go:23 +0x5b",
        "created by main.main in goroutine 1", "\t/app/main.go:21 +0xa7", "");
    List<String> dump = concat(List.of("fatal error: concurrent map writes", ""), panicking,
        waiting("goroutine 5 [chan receive]:", "(0x0?, 0xc000012345)", 9, ""),
        waiting("goroutine 6 [chan receive, 2 minutes]:", "(0x1?, 0xc000012346)", 9, ""),   // longer
        waiting("goroutine 7 [select]:", "(0x2?, 0xc000012347)", 9, ""),                     // another state
        waiting("goroutine 8 [chan receive]:", "(0x3?, 0xc000012348)", 10, ""),              // another place
        // a signal's dump: the frames' addresses; and the goroutine's, as newer Go names them
        waiting("goroutine 9 gp=0xc000007a40 m=nil [chan receive]:", "(...)", 9, " fp=0xc0000347c0 sp=0xc000034748 pc=0x48140b"));
    dump.remove(dump.size() - 1);   // no blank line last

    List<String> expected = concat(List.of("fatal error: concurrent map writes", ""), panicking,
        waiting("goroutine 5 [chan receive]:", "(0x0?, 0xc000012345)", 9, ""),
        waiting("goroutine 7 [select]:", "(0x2?, 0xc000012347)", 9, ""),
        waiting("goroutine 8 [chan receive]:", "(0x3?, 0xc000012348)", 10, ""));
    expected.add(expected.indexOf("goroutine 7 [select]:") - 1,
        "\t… and 2 more goroutines with this stack, folded by heartlog run: goroutine 6 and goroutine 9");
    assertThat(ThreadDumps.folded(GO, dump)).containsExactlyElementsOf(expected);
  }

  @Test
  void pythonsThreadsWithTheSameFramesAreFolded() {
    List<String> waiting = List.of("  File \"/usr/lib/python3.11/threading.py\", line 327 in wait",
        "  File \"/app/worker.py\", line 4 in wait_for_job",
        "  File \"/usr/lib/python3.11/threading.py\", line 982 in run");
    List<String> dump = concat(
        List.of("Thread 0x00007f0338f796c0 (most recent call first):"), waiting, List.of(""),
        List.of("Thread 0x00007f0339f7a6c0 (most recent call first):"), waiting, List.of(""),
        List.of("Thread 0x00007f033af7b6c0 (most recent call first):", "  File \"/app/worker.py\", line 9 in render", ""),
        List.of("Current thread 0x00007f0369fdb740 (most recent call first):"), waiting, List.of(""),   // alike, but its own
        List.of("Thread 0x00007f033bf7c6c0 (most recent call first):"), waiting, List.of("", "..."));

    assertThat(ThreadDumps.folded(PYTHON, dump)).containsExactlyElementsOf(concat(
        List.of("Thread 0x00007f0338f796c0 (most recent call first):"), waiting,
        List.of("  … and 2 more threads with this stack, folded by heartlog run: Thread 0x00007f0339f7a6c0 and "
            + "Thread 0x00007f033bf7c6c0", ""),
        List.of("Thread 0x00007f033af7b6c0 (most recent call first):", "  File \"/app/worker.py\", line 9 in render", ""),
        List.of("Current thread 0x00007f0369fdb740 (most recent call first):"), waiting, List.of(""),
        List.of("...")));
  }

  @Test
  void whereMuchIsFoundAtItsEndItIsCutAtItsEnd() {
    List<String> dump = new ArrayList<>(List.of(FIRST, ""));
    for (int i = 0; i < 300; i++) {   // 300 threads, each in a place of its own
      dump.add("\"render-" + i + "\" #" + (20 + i) + " prio=5 os_prio=0 tid=0x00007f59ac5318" + i + " nid=0x" + i + " waiting on condition");
      dump.add("   java.lang.Thread.State: TIMED_WAITING (sleeping)");
      dump.add("\tat Render.render" + i + "(Render.java:" + i + ")");
      dump.add("");
    }
    dump.add("JNI global refs: 7, weak refs: 0");
    List<String> threads = List.copyOf(dump);
    for (int i = 0; i < 100; i++) {   // the end: 100 deadlocks, each of two threads
      dump.add("Found one Java-level deadlock:");
      dump.add("=============================");
      dump.add("\"render-" + i + "\":");
      dump.add("  waiting to lock monitor 0x00007f615c0015a0 (object 0x000000069ec77ff0, a java.lang.Object),");
      dump.add("  which is held by \"upload-" + i + "\"");
    }
    dump.add("Found 100 deadlocks.");

    String kept = ThreadDumps.kept(JVM, dump, 0);
    assertThat(kept).hasSizeLessThanOrEqualTo(ThreadDumps.KEPT_CHARS).startsWith(FIRST + "\n\n\"render-0\" #20 ")
        .endsWith("… [heartlog run left out " + (dump.size() - kept.lines().count() + 1)
            + " lines of the dump here, to keep it to 30 KiB]")
        .doesNotContain("Found 100 deadlocks.");
    // with 10 deadlocks, its end is kept and its threads cut
    List<String> fewer = new ArrayList<>(threads);
    fewer.addAll(dump.subList(threads.size(), threads.size() + 50));
    fewer.add("Found 10 deadlocks.");
    assertThat(ThreadDumps.kept(JVM, fewer, 0)).hasSizeLessThanOrEqualTo(ThreadDumps.KEPT_CHARS)
        .containsPattern("\n… \\[heartlog run left out \\d+ lines of the dump here, to keep it to 30 KiB]\n"
            + "JNI global refs: 7, weak refs: 0\nFound one Java-level deadlock:\n")
        .endsWith("\n  which is held by \"upload-9\"\nFound 10 deadlocks.");
  }

  /** The condition a pool's idle threads wait on, its queue's: one a pool. */
  private static final String POOL_1 = "0x000000069e04e168";
  private static final String POOL_2 = "0x000000069e04f2a0";

  /** A pool's thread waiting for work, as JDK 17's jstack -l prints it, and the blank line after it. */
  private static List<String> idle(String name, int number, String queue) {
    return List.of(
        "\"" + name + "\" #" + number + " prio=5 os_prio=0 cpu=1.36ms elapsed=0.21s tid=0x00007f59ac449d" + number
            + " nid=0x71" + number + " waiting on condition  [0x00007f598462a000]",
        "   java.lang.Thread.State: WAITING (parking)",
        "\tat jdk.internal.misc.Unsafe.park(java.base@17.0.15/Native Method)",
        "\t- parking to wait for  <" + queue + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
        "\tat java.util.concurrent.LinkedBlockingQueue.take(java.base@17.0.15/LinkedBlockingQueue.java:435)",
        "\tat java.util.concurrent.ThreadPoolExecutor.getTask(java.base@17.0.15/ThreadPoolExecutor.java:1062)",
        "\tat java.lang.Thread.run(java.base@17.0.15/Thread.java:840)",
        "",
        "   Locked ownable synchronizers:",
        "\t- None",
        "");
  }

  /** A thread waiting to lock a monitor, and the blank line after it. */
  private static List<String> blocked(String name, int number, String lock) {
    return List.of(
        "\"" + name + "\" #" + number + " prio=5 os_prio=0 cpu=0.30ms elapsed=0.14s tid=0x00007f59ac5318" + number
            + " nid=0x71" + number + " waiting for monitor entry  [0x00007f598452a000]",
        "   java.lang.Thread.State: BLOCKED (on object monitor)",
        "\tat Render.lambda$main$0(Render.java:11)",
        "\t- waiting to lock <" + lock + "> (a java.lang.Object)",
        "\tat java.lang.Thread.run(java.base@17.0.15/Thread.java:840)",
        "",
        "   Locked ownable synchronizers:",
        "\t- None",
        "");
  }

  /** A goroutine of a worker's pool waiting for a job, and the blank line after it. */
  private static List<String> waiting(String header, String arguments, int line, String addresses) {
    return List.of(header, "main.worker" + arguments, "\t/app/main.go:" + line + " +0xab" + addresses,
        "created by main.main in goroutine 1", "\t/app/main.go:17 +0x34", "");
  }

  /** The thread's lines with the line that names those folded into it after its last, before its blank line. */
  private static List<String> withFold(List<String> thread, String fold) {
    List<String> lines = new ArrayList<>(thread.subList(0, thread.size() - 1));
    lines.add(fold);
    lines.add("");
    return lines;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> lines = new ArrayList<>();
    for (List<String> part : parts) {
      lines.addAll(part);
    }
    return lines;
  }
}
