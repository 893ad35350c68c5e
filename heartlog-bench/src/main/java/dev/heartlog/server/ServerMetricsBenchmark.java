package dev.heartlog.server;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting a heartbeat for {@code GET /metrics} adds to a heartbeat call: the ingest
 * function's answer read for its outcome and record counts, and the call's duration recorded.
 * Run with {@link IngestRequestBenchmark}'s reading of a heartbeat as the baseline, in the same
 * run: {@code java -jar heartlog-bench/target/benchmarks.jar
 * 'IngestRequestBenchmark.pythonWorkersHeartbeat|ServerMetricsBenchmark'}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ServerMetricsBenchmark {

  /** The ingest function's answer to a heartbeat of 100 records. */
  private static final String ANSWER = "{\"success\": true, \"duplicate\": false, \"logs_inserted\": 100, \"logs_rejected\": 0}";

  private ServerMetrics metrics;

  @Setup
  public void setUp() {
    metrics = new ServerMetrics(null, null, null, () -> 0, null);   // the store is asked only at a scrape
  }

  @TearDown
  public void tearDown() {
    metrics.close();
  }

  @Benchmark
  public void countingAHeartbeatsAnswer() {
    metrics.answered(ANSWER, 1_500_000);
  }
}
