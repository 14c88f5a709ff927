package io.github.multiproc.processpool.manager;

import io.github.multiproc.Job;
import io.github.multiproc.ipc.Connection;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serial;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager itself: a job that runs in its own JVM, started by
 * {@link io.github.multiproc.processpool.JvmProcess} like any job, so it has a worker's class
 * path, output forwarding, crash reports and parent-death watches (it ends within 2 s of its
 * owner's death). It opens its {@link Door}, tells its owner where (READY), applies the owner's
 * registrations, and serves until the owner closes the control pipe or dies; then it closes
 * every session and its door, and returns.
 *
 * <p>Thread safety: {@link #call()} once, in the manager's JVM.
 */
final class ManagerJob implements Job<Integer> {

  @Serial private static final long serialVersionUID = 1L;
  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ManagerJob.class);
  }

  private final String name;
  private final byte[] secret;
  private final List<String> allow;
  private final Connection control;

  ManagerJob(String name, byte[] secret, List<String> allow, Connection control) {
    this.name = name;
    this.secret = secret.clone();
    this.allow = List.copyOf(allow);
    this.control = control;
  }

  @Override
  public Integer call() throws IOException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ManagerJob.class.getClassLoader();
    }
    ServedObjects objects = new ServedObjects(loader);
    ManagerCodecs.Server codecs = new ManagerCodecs.Server(allow, loader);
    Sessions sessions = new Sessions(new Dispatcher(objects, codecs), Sessions.FIRST_REQUEST_TIMEOUT);
    try (Door door = Door.open(secret, sessions::start)) {
      control.sendBytes(ControlWire.text(door.socket().toString()));
      Log.LOG.debug("manager '{}' serves at {}", name, door.socket());
      serveOwner(objects, codecs, loader);
    } finally {
      sessions.closeAll();
      control.close();
    }
    return 0;
  }

  private void serveOwner(ServedObjects objects, ManagerCodecs.Server codecs, ClassLoader loader) throws IOException {
    var trusting = ControlWire.managerCodec(loader);
    while (true) {
      byte[] message;
      try {
        message = control.recvBytes();
      } catch (EOFException | ClosedChannelException e) {
        return; // the owner closed the manager (its death halts this JVM)
      }
      String failure = "";
      try {
        ControlWire.Registration r = trusting.decode(message, ControlWire.Registration.class);
        codecs.allowPackageOf(r.type());
        codecs.allowPackageOf(r.factory().getClass()); // a lambda's class is in its writer's package
        objects.register(r.type().getName(), r.factory());
      } catch (RuntimeException e) {
        failure = e.toString();
      }
      control.sendBytes(ControlWire.text(failure));
    }
  }
}
