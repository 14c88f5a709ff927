package io.github.multiproc.processpool.internal.parent;

import java.util.List;

/**
 * Words the errors of a worker that would not start: what happened, the likely causes, which
 * builder option fixes them ({@code classPath(...)}, {@code javaHome(...)}, {@code jvmArgs(...)},
 * {@code startTimeout(...)}), the command line and the worker's stderr, so the user can act
 * without a debugger.
 */
final class StartDiagnostics {

  private static final String LIBRARY_JARS = "multiproc-processpool, multiproc-ipc, multiproc-core and slf4j-api";

  private StartDiagnostics() {}

  static String cannotStart(WorkerCommand command, Throwable cause) {
    return "cannot start a worker JVM with " + command.java() + ": " + cause
        + "\nLikely causes: the java executable is missing or not executable (this JVM's java.home has no"
        + " bin/java in a jpackage or stripped jlink image: set ProcessPool.builder().javaHome(...) to a Java 25+"
        + " installation); the working directory " + command.workingDirectory() + " does not exist; the system"
        + " is out of processes or memory."
        + "\nCommand: " + String.join(" ", command.commandLine(ProcessHandle.current().pid(), List.of()));
  }

  static String timedOut(PoolSettings settings, WorkerProcess w) {
    return "worker JVM pid " + w.pid() + " did not say HELLO within its start timeout of "
        + settings.startTimeout() + "."
        + "\nLikely causes: the machine is overloaded (raise ProcessPool.builder().startTimeout(...)); a JVM "
        + "argument slows start-up or waits (a debugger agent with suspend=y, a huge -Xms); a -javaagent "
        + "or static initializer blocks; the class path is on a slow or hung file system."
        + details(settings.command(), w);
  }

  static String diedAtStart(PoolSettings settings, WorkerProcess w) {
    java.util.OptionalInt exit = exitCode(w);
    if (exit.isPresent() && exit.getAsInt() > 128) {
      int signal = exit.getAsInt() - 128;
      return "worker JVM pid " + w.pid() + " was killed by signal " + signal + " (" + Signals.name(signal)
          + ") before it said HELLO: something outside the pool ended it (the kernel's OOM killer, a user, a "
          + "process supervisor), not its class path or JVM arguments." + details(settings.command(), w);
    }
    return "worker JVM pid " + w.pid() + " ended before it said HELLO"
        + (exit.isPresent() ? " (exit code " + exit.getAsInt() + ")." : ".")
        + "\n" + likelyCauses(settings.command(), w.stderrTail())
        + "\nFirst bytes on its protocol pipe: " + w.firstProtocolBytes()
        + details(settings.command(), w);
  }

  /**
   * Names the likely causes of a worker that died before its handshake, from what it printed.
   *
   * @param command its command
   * @param stderr the end of its stderr
   * @return one paragraph, starting with "Likely cause"
   */
  static String likelyCauses(WorkerCommand command, String stderr) {
    String classPath = "The worker's class path was " + command.paths().origin() + ".";
    if (stderr.contains("Could not find or load main class") || stderr.contains("ClassNotFoundException")
        || stderr.contains("NoClassDefFoundError") || stderr.contains("Module io.github.multiproc")
        || stderr.contains("module io.github.multiproc")) {
      return "Likely cause: the worker JVM cannot load multiproc's classes (" + LIBRARY_JARS + "). " + classPath
          + " Give the workers a class path that holds " + LIBRARY_JARS + " and your tasks' classes with"
          + " ProcessPool.builder().classPath(...).";
    }
    if (stderr.contains("UnsupportedClassVersionError") || stderr.contains("has been compiled by a more recent version")) {
      return "Likely cause: " + command.java() + " is older than Java 25, which multiproc needs; point"
          + " ProcessPool.builder().javaHome(...) at a Java 25 or newer installation.";
    }
    if (stderr.contains("Unrecognized option") || stderr.contains("Could not create the Java Virtual Machine")
        || stderr.contains("Invalid ") || stderr.contains("Improperly specified VM option")) {
      return "Likely cause: an invalid JVM argument in ProcessPool.builder().jvmArgs(...): " + command.jvmArgs() + ".";
    }
    return "Likely causes: " + LIBRARY_JARS + " are not on the worker's class path (" + command.paths().origin()
        + "; set ProcessPool.builder().classPath(...)); an invalid JVM argument in jvmArgs; a different multiproc"
        + " version on the class path; a java older than 25 (set javaHome(...)); not enough memory for the"
        + " requested heap.";
  }

  private static java.util.OptionalInt exitCode(WorkerProcess w) {
    try {
      w.awaitExit(java.time.Duration.ofMillis(500));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return w.exitCode();
  }

  private static String details(WorkerCommand command, WorkerProcess w) {
    String tail = w.stderrTail();
    return "\nCommand: " + String.join(" ", command.commandLine(ProcessHandle.current().pid(), List.of()))
        + (tail.isBlank() ? "\nThe worker wrote nothing to stderr." : "\nIts stderr ends with:\n" + tail);
  }
}
