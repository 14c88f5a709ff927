package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.Connection;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's clients: one platform thread per client pipe ({@code multiproc-manager-session-n})
 * that receives a request, answers it and waits for the next, spinning briefly on the pipe's
 * shared-memory ring first, so a client calling in a loop is answered without a wake-up. A
 * session ends when its client closes the pipe or dies (end of stream), or at {@link #closeAll()}.
 * A client attaches its pipe and sends its first call right after it knocks ({@link Clients}); one
 * that knocks and then never attaches, or never calls, is dropped after the first-request timeout,
 * so it cannot hold a thread and a pipe of the manager for good.
 *
 * <p>Thread safety: thread-safe.
 */
final class Sessions {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  }
  private static final AtomicInteger IDS = new AtomicInteger();

  /** How long an admitted client may take to attach its pipe and send its first call. */
  static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Dispatcher dispatcher;
  private final Duration firstRequestTimeout;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param dispatcher answers the requests
   * @param firstRequestTimeout how long a new client may take to attach and send its first call
   */
  Sessions(Dispatcher dispatcher, Duration firstRequestTimeout) {
    this.dispatcher = dispatcher;
    this.firstRequestTimeout = firstRequestTimeout;
  }

  /** {@return how many sessions are open} */
  int openCount() {
    return open.size();
  }

  /**
   * Serves a client on a thread of its own.
   *
   * @param client the manager's end of the client's pipe
   */
  void start(Connection client) {
    open.add(client);
    if (closed) {
      close(client);
      return;
    }
    Thread.ofPlatform().daemon().name("multiproc-manager-session-" + IDS.incrementAndGet()).start(() -> serve(client));
  }

  private void serve(Connection client) {
    try {
      if (!client.poll(firstRequestTimeout)) {
        Log.LOG.debug("a client knocked but did not attach and call within {}; dropping it", firstRequestTimeout);
        return;
      }
      while (true) {
        byte[] request = client.recvBytes();
        client.sendBytes(dispatcher.handle(request));
      }
    } catch (EOFException | ClosedChannelException e) {
      // the client left, or the manager is closing
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        Log.LOG.warn("manager session ended: {}", e.toString());
      }
    } finally {
      open.remove(client);
      close(client);
    }
  }

  /** Ends every session: their clients read end of stream. */
  void closeAll() {
    closed = true;
    for (Connection c : open) {
      close(c);
    }
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (IOException e) {
      Log.LOG.debug("closing a manager session", e);
    }
  }
}
