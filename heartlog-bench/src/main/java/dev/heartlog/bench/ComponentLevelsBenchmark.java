package dev.heartlog.bench;

import dev.heartlog.agent.ComponentLevels;
import dev.heartlog.agent.Level;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What deciding a record's level per component costs (README, "Levels per component"): the
 * check the Logback appender makes before it builds anything, for a logger covered by the last
 * of the rules tried (the shortest name), against no rules at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ComponentLevelsBenchmark {

  @Param({"", "WARNING,com.example.render.frames=DEBUG,com.example.queue=ERROR,io.netty=OFF,bench=INFO"})
  public String levels;

  /** A field, so that the JIT cannot fold the name into a constant. */
  public String logger = "bench.worker";

  private ComponentLevels rules;

  @Setup
  public void parse() {
    rules = ComponentLevels.parse(levels);
  }

  @Benchmark
  public boolean keeps() {
    return rules.keeps(Level.INFO, logger, false);
  }
}
