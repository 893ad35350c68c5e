// A worker that is itself a module: it names the agent and SLF4J, nothing of the JDK's.
// ModulePathTest compiles it and runs it on the module path.
module worker {
  requires dev.heartlog.agent;
  requires org.slf4j;
}
