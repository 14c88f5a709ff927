package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.processpool.FaultInjector;
import io.github.multiproc.processpool.internal.protocol.Faults;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import io.github.multiproc.spi.Chunk;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The worker's fault injection ({@link FaultInjector}): at a stage of a batch it kills or freezes
 * this process, or writes garbage into the protocol stream. A worker without an injector uses
 * {@link #NONE}, which does nothing, so the worker's path has no fault branches of its own.
 *
 * <p>Thread safety: thread-safe if the injector is; garbage is written under the worker's send lock.
 */
class ChildFaults {

  /** No faults. */
  static final ChildFaults NONE = new ChildFaults();

  private ChildFaults() {}

  /**
   * Applies the fault for a stage, if any, and returns it so the caller can corrupt its bytes.
   *
   * @param stage the stage
   * @param firstIndex the input index of the batch's first item
   * @param count how many items to ask about
   * @return the action taken ({@link FaultInjector.Action#NONE} for none)
   */
  FaultInjector.Action at(FaultInjector.Stage stage, long firstIndex, int count) {
    return FaultInjector.Action.NONE;
  }

  /**
   * @param injector the injector
   * @param raw the protocol stream, for garbage
   * @param sendLock the lock under which frames are written
   * @return faults that follow the injector
   */
  static ChildFaults of(FaultInjector injector, OutputStream raw, Object sendLock) {
    return new Injecting(injector, raw, sendLock);
  }

  private static final class Injecting extends ChildFaults {
    private final FaultInjector injector;
    private final OutputStream raw;
    private final Object sendLock;

    Injecting(FaultInjector injector, OutputStream raw, Object sendLock) {
      this.injector = injector;
      this.raw = raw;
      this.sendLock = sendLock;
    }

    @Override
    FaultInjector.Action at(FaultInjector.Stage stage, long firstIndex, int count) {
      FaultInjector.Action action = FaultInjector.Action.NONE;
      for (int i = 0; i < count && action == FaultInjector.Action.NONE; i++) {
        action = injector.at(stage, Chunk.indexOf(firstIndex, i));
      }
      switch (action) {
        case KILL -> signalSelf("KILL");
        case HANG -> signalSelf("STOP");
        case CORRUPT -> {
          if (stage == FaultInjector.Stage.EXECUTION) {
            writeGarbage();
          }
        }
        case NONE -> { }
      }
      return action;
    }

    private void writeGarbage() {
      byte[] garbage = new byte[32];
      java.util.Arrays.fill(garbage, Faults.GARBAGE);
      synchronized (sendLock) { // as frames are: writes are serialized under the send lock
        boolean interrupted = Thread.interrupted();
        try {
          raw.write(garbage);
          raw.flush();
        } catch (IOException e) {
          Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    /**
     * Sends {@code signal} (KILL or STOP) to this process, then never returns: a signal to a busy
     * process can take effect a moment later, and the fault must strike exactly here.
     */
    private static void signalSelf(String signal) {
      try {
        new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid()))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      } catch (IOException e) {
        Runtime.getRuntime().halt(137); // no kill(1): die anyway
      } catch (InterruptedException e) {
        // fall through: this thread waits below until the signal takes effect
      }
      while (true) {
        java.util.concurrent.locks.LockSupport.park(); // the process is being killed or stopped
      }
    }
  }
}
