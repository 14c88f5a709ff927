package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.Connection;
import io.github.multiproc.processpool.JvmProcess;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's hold on a running manager's JVM, as {@link ManagerLauncher} left it: its address,
 * its process and the control pipe. Registers types over the pipe ({@link ControlWire}) and ends
 * the JVM: closes the pipe (the manager's signal to end), waits, kills it if it lingers, and
 * deletes its door.
 *
 * <p>Thread safety: thread-safe; registrations take turns on the control pipe, and
 * {@link #close()} acts once.
 */
final class ManagerJvm {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Manager.class); // the owner speaks as the Manager
  }

  private final ManagerAddress address;
  private final JvmProcess<Integer> process;
  private final Connection control;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param address where the manager listens
   * @param process its JVM
   * @param control the owner's end of the control pipe, after READY
   */
  ManagerJvm(ManagerAddress address, JvmProcess<Integer> process, Connection control) {
    this.address = address;
    this.process = process;
    this.control = control;
  }

  /** {@return where the manager listens} */
  ManagerAddress address() {
    return address;
  }

  /** {@return whether the manager's JVM is running} */
  boolean isAlive() {
    return process.isAlive();
  }

  /** {@return whether {@link #close()} was called} */
  boolean isClosed() {
    return closed.get();
  }

  /**
   * Sends a registration and waits for the manager's answer.
   *
   * @param type the interface
   * @param factory makes its objects, in the manager
   * @return empty if the manager registered it, else the manager's reason
   * @throws ManagerException if interrupted (the interrupt stays set)
   * @throws ManagerGoneException if the manager is gone
   */
  String register(Class<?> type, SharedSupplier<?> factory) {
    byte[] message = ControlWire.ownerCodec().encode(new ControlWire.Registration(type, factory));
    synchronized (control) {
      try {
        control.sendBytes(message);
        return ControlWire.text(control.recvBytes());
      } catch (InterruptedIOException e) {
        Thread.currentThread().interrupt();
        throw new ManagerException("interrupted while registering " + type.getName() + " with " + address.describe(), e);
      } catch (IOException e) {
        throw new ManagerGoneException(address.describe() + " is gone: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Ends the manager: forgets this JVM's connections to it, closes the control pipe, waits up to
   * 5 s for its JVM to exit, then kills it, and deletes its door. Idempotent. An interrupt kills
   * the JVM at once and stays set.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Clients.forget(address, "closed by its owner");
    try {
      control.close();
    } catch (IOException e) {
      Log.LOG.debug("closing the control pipe of {}", address.describe(), e);
    }
    try {
      if (!process.join(Duration.ofSeconds(5))) {
        Log.LOG.warn("{} did not exit within 5 s of close(); killing it", address.describe());
        process.kill();
        process.join(Duration.ofSeconds(5));
      }
    } catch (InterruptedException e) {
      process.kill();
      Thread.currentThread().interrupt();
    }
    deleteDoor(address);
  }

  /** A killed manager cannot delete its door; its owner does. */
  private static void deleteDoor(ManagerAddress address) {
    Path door = Path.of(address.door());
    try {
      Files.deleteIfExists(door);
      Files.deleteIfExists(door.getParent());
    } catch (IOException e) {
      Log.LOG.warn("cannot delete the door of {}: {}", address.describe(), door, e);
    }
  }
}
