package io.github.multiproc.processpool.internal.parent;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a POSIX signal to a process through {@code kill(1)}, for what {@link ProcessHandle}
 * cannot do ({@code SIGSTOP}, {@code SIGCONT}, a {@code SIGKILL} to oneself). Used by fault
 * injection only. Stateless.
 */
public final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * Sends {@code signal} to {@code pid} and waits for {@code kill} to finish.
   *
   * @param pid the process
   * @param signal the name without {@code SIG}, such as {@code "STOP"}
   * @return whether {@code kill} succeeded
   */
  public static boolean send(long pid, String signal) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      LOG.warn("cannot send SIG{} to {}: {}", signal, pid, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // keep the status; the signal may not have been sent
      return false;
    }
  }
}
