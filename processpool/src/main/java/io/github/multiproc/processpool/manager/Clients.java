package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.Connection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * This JVM's connections to one manager: a stack of idle pipes, so a thread takes one, makes its
 * call and puts it back, and threads calling at once each have their own (no hand-off to a reader
 * thread, which would cost a wake-up per call). A pipe is opened through the manager's
 * {@link Door} when none is idle. Once a pipe ends, or the door is shut, the manager is gone for
 * good: every later call fails at once with {@link ManagerGoneException}.
 *
 * <p>One instance per manager per JVM ({@link #of}): a proxy that arrives in a task finds the
 * connections the JVM already has. This is the one JVM-wide table of the package; it holds
 * connections, never the objects' state.
 *
 * <p>Thread safety: thread-safe.
 */
final class Clients {

  private static final ConcurrentHashMap<ManagerAddress, Clients> ALL = new ConcurrentHashMap<>();

  private final ManagerAddress address;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile String gone;

  private Clients(ManagerAddress address) {
    this.address = address;
  }

  /** {@return this JVM's connections to a manager} */
  static Clients of(ManagerAddress address) {
    return ALL.computeIfAbsent(address, Clients::new);
  }

  /**
   * Closes this JVM's connections to a manager and marks it gone.
   *
   * @param address the manager
   * @param why for the message of later calls
   */
  static void forget(ManagerAddress address, String why) {
    Clients c = ALL.remove(address);
    if (c != null) {
      c.markGone(why);
    }
  }

  /**
   * Sends a request and waits for its answer.
   *
   * @param request the request message
   * @return the answer message
   * @throws ManagerGoneException if the manager is gone
   * @throws ManagerException if the caller was interrupted (its interrupt status stays set)
   */
  byte[] roundTrip(byte[] request) {
    String why = gone;
    if (why != null) {
      throw gone(why, null);
    }
    Connection c = idle.pollFirst();
    if (c == null) {
      c = connect();
    }
    try {
      c.sendBytes(request);
      byte[] answer = c.recvBytes();
      idle.offerFirst(c);
      if (gone != null) {
        drain();
      }
      return answer;
    } catch (InterruptedIOException e) {
      close(c); // its answer may still come: this pipe is out of step
      Thread.currentThread().interrupt();
      throw new ManagerException("interrupted while waiting for " + address.describe(), e);
    } catch (IOException e) {
      close(c);
      String reason = "its connection ended (" + e.getMessage() + ")";
      markGone(reason);
      throw gone(reason, e);
    }
  }

  private Connection connect() {
    try {
      return Connection.attach(DoorHandshake.knock(address));
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw new ManagerException("interrupted while connecting to " + address.describe(), e);
    } catch (IOException | IllegalArgumentException e) {
      String reason = "it does not accept connections (" + e.getMessage() + ")";
      markGone(reason);
      throw gone(reason, e);
    }
  }

  private void markGone(String why) {
    if (gone == null) {
      gone = why;
    }
    drain();
  }

  private void drain() {
    for (Connection c; (c = idle.pollFirst()) != null; ) {
      close(c);
    }
  }

  private ManagerGoneException gone(String why, Throwable cause) {
    boolean alive = ProcessHandle.of(address.pid()).map(ProcessHandle::isAlive).orElse(false);
    return new ManagerGoneException(address.describe() + " is gone (" + (alive ? "closed by its owner" : "its process died")
        + "): " + why + "; every call on its proxies fails from now on", cause);
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (IOException e) {
      // already broken; nothing else to release
    }
  }
}
