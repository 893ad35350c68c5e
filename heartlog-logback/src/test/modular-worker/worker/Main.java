package worker;

import dev.heartlog.agent.AgentEnvironment;
import dev.heartlog.agent.Heartlog;
import dev.heartlog.agent.HeartlogAgent;
import dev.heartlog.agent.WorkerLog;
import org.slf4j.LoggerFactory;

/** Logs one record each through SLF4J and Logback, java.util.logging and the facade, then stops. */
public final class Main {

  public static void main(String[] args) {
    HeartlogAgent agent = AgentEnvironment.current().agentBuilder().build();
    Heartlog.install(agent);
    agent.startTask("module-task");
    LoggerFactory.getLogger("worker.render").info("through SLF4J and Logback");
    java.util.logging.Logger.getLogger("worker.upload").warning("through java.util.logging");
    WorkerLog.of(agent).error("worker", "through the facade");
    agent.endTask();
    agent.close();   // the last heartbeat carries them
  }
}
