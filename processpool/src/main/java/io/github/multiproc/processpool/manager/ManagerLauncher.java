package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.Connection;
import io.github.multiproc.ipc.Pipe;
import io.github.multiproc.processpool.JvmProcess;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts a manager's JVM and waits until it listens: sweeps the doors of dead managers, names the
 * manager, draws its secret, opens the control pipe, launches {@link ManagerJob} and reads its
 * READY within the start timeout. A failure is a {@link ManagerException} that says which step
 * failed and, for a JVM that ended first, how it ended; a manager not ready in time is killed.
 *
 * <p>Thread safety: stateless but for the counter of default names; any thread may start
 * managers.
 */
final class ManagerLauncher {

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final String PACKAGE = ManagerLauncher.class.getPackageName();

  private ManagerLauncher() {}

  /**
   * Starts a manager and waits until it listens.
   *
   * @param name the manager's name, or null for {@code manager-<n>}
   * @param allow class-name patterns beyond the default rule; the caller's package is added
   * @param launch how to launch its JVM
   * @param startTimeout how long to wait for READY
   * @return the running manager's JVM
   * @throws ManagerException if its JVM cannot start, dies first, or is not ready in time
   */
  static ManagerJvm start(String name, List<String> allow, JvmProcess.Builder launch, Duration startTimeout) {
    Door.sweepDead();
    String n = name != null ? name : "manager-" + IDS.incrementAndGet();
    List<String> patterns = new ArrayList<>(allow);
    callerPackage().ifPresent(p -> patterns.add(p + ".*"));
    byte[] secret = new byte[ManagerAddress.SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    Pipe control;
    try {
      control = Pipe.builder().sharedMemoryRing(0).open();
    } catch (IOException e) {
      throw new ManagerException("cannot open the control pipe of manager '" + n + "'", e);
    }
    JvmProcess<Integer> process;
    try {
      process = launch.start(new ManagerJob(n, secret, patterns, control.second()));
    } catch (RuntimeException e) {
      closeQuietly(control.first());
      throw new ManagerException("cannot start manager '" + n + "': " + e.getMessage(), e);
    }
    String door = awaitReady(n, control.first(), process, startTimeout);
    return new ManagerJvm(new ManagerAddress(n, process.pid(), door, secret, patterns), process, control.first());
  }

  private static String awaitReady(String n, Connection control, JvmProcess<Integer> process, Duration startTimeout) {
    try {
      if (control.poll(startTimeout)) {
        return ControlWire.text(control.recvBytes());
      }
      process.kill();
      throw new ManagerException("manager '" + n + "' (pid " + process.pid() + ") did not listen within "
          + startTimeout + "; it was killed", null);
    } catch (EOFException e) {
      throw new ManagerException("manager '" + n + "' (pid " + process.pid() + ") ended before it listened: "
          + whyEnded(process), e);
    } catch (InterruptedIOException e) {
      process.kill();
      Thread.currentThread().interrupt();
      throw new ManagerException("interrupted while starting manager '" + n + "'", e);
    } catch (IOException e) {
      process.kill();
      throw new ManagerException("manager '" + n + "' could not be reached: " + e.getMessage(), e);
    } finally {
      if (!process.isAlive()) {
        closeQuietly(control);
      }
    }
  }

  private static String whyEnded(JvmProcess<Integer> process) {
    try {
      process.result();
      return "it returned";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown (interrupted)";
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  /** The package of the first caller outside this package, such as the user's main class. */
  private static Optional<String> callerPackage() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(s -> s
        .map(StackWalker.StackFrame::getDeclaringClass)
        .filter(c -> !c.getPackageName().equals(PACKAGE))
        .findFirst())
        .map(Class::getPackageName)
        .filter(p -> !p.isEmpty() && !p.startsWith("java."));
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (IOException e) {
      // already broken
    }
  }
}
