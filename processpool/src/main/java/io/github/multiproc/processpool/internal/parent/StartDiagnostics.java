package io.github.multiproc.processpool.internal.parent;

/**
 * Words the errors of a worker that would not start: what happened, the likely causes, the
 * command line and the worker's stderr, so the user can act without a debugger.
 */
final class StartDiagnostics {

  private StartDiagnostics() {}

  static String cannotStart(WorkerCommand command, Throwable cause) {
    return "cannot start a worker JVM with " + command.java() + ": " + cause
        + "\nLikely causes: the java executable is missing or not executable; the working directory "
        + command.workingDirectory() + " does not exist; the system is out of processes or memory."
        + "\nCommand: " + String.join(" ", command.commandLine(ProcessHandle.current().pid(), java.util.List.of()));
  }

  static String timedOut(PoolSettings settings, WorkerProcess w) {
    return "worker JVM pid " + w.pid() + " did not say HELLO within its start timeout of "
        + settings.startTimeout() + "."
        + "\nLikely causes: the machine is overloaded (raise ProcessPool.builder().startTimeout(...)); a JVM "
        + "argument slows start-up or waits (a debugger agent with suspend=y, a huge -Xms); a -javaagent "
        + "or static initializer blocks; the class path is on a slow or hung file system."
        + details(settings, w);
  }

  static String diedAtStart(PoolSettings settings, WorkerProcess w) {
    java.util.OptionalInt exit = exitCode(w);
    if (exit.isPresent() && exit.getAsInt() > 128) {
      int signal = exit.getAsInt() - 128;
      return "worker JVM pid " + w.pid() + " was killed by signal " + signal + " (" + Signals.name(signal)
          + ") before it said HELLO: something outside the pool ended it (the kernel's OOM killer, a user, a "
          + "process supervisor), not its class path or JVM arguments." + details(settings, w);
    }
    return "worker JVM pid " + w.pid() + " ended before it said HELLO"
        + (exit.isPresent() ? " (exit code " + exit.getAsInt() + ")." : ".")
        + "\nLikely causes: multiproc-processpool (or its dependencies multiproc-ipc, multiproc-core, "
        + "slf4j-api) is not on the worker's class path; an invalid JVM argument in jvmArgs; a different "
        + "multiproc version on the class path; not enough memory for the requested heap."
        + "\nFirst bytes on its protocol pipe: " + w.firstProtocolBytes()
        + details(settings, w);
  }

  private static java.util.OptionalInt exitCode(WorkerProcess w) {
    try {
      w.awaitExit(java.time.Duration.ofMillis(500));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return w.exitCode();
  }

  private static String details(PoolSettings settings, WorkerProcess w) {
    String tail = w.stderrTail();
    return "\nCommand: " + String.join(" ", settings.command().commandLine(ProcessHandle.current().pid(), java.util.List.of()))
        + (tail.isBlank() ? "\nThe worker wrote nothing to stderr." : "\nIts stderr ends with:\n" + tail);
  }
}
