package dev.heartlog.agent;

import java.io.PrintStream;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's configuration once built and validated; see {@link HeartlogAgentBuilder} for each
 * setting's meaning and default. The transport's secrets stay inside the transport, so printing
 * this record shows none.
 */
record AgentConfig(
    String workerId,
    Transport transport,
    Duration heartbeatInterval,
    Duration maxRetryDelay,
    int bufferSize,
    int maxBufferedRecords,
    long maxBufferedBytes,
    int maxBatchRecords,
    long maxBatchBytes,
    boolean debug,
    boolean keepRepeats,
    ComponentLevels levels,
    Credentials maskedValues,
    List<String> maskedVariables,
    Path spoolDirectory,
    long spoolMaxBytes,
    SpoolSync spoolSync,
    Duration spoolSyncInterval,
    Duration shutdownTimeout,
    Duration statsInterval,
    GpuProbe gpuProbe,
    boolean shutdownHook,
    Clock clock,
    PrintStream diagnostics,
    HeartbeatScheduler scheduler,
    List<String> startWarnings) {}
