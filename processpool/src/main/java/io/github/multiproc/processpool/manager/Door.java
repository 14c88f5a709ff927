package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.Connection;
import io.github.multiproc.ipc.Pipe;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameWriter;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's door: a Unix domain socket in a fresh directory of mode {@code 0700} where clients
 * knock ({@link DoorHandshake}). Each client with the secret gets a pipe of its own, whose end
 * in this JVM goes to {@code onClient}; a client without it is closed and logged. Knocks are
 * read side by side, on virtual threads, each dropped after {@value #HELLO_TIMEOUT_SECONDS} s
 * of silence, so a client that does not speak delays nobody.
 *
 * <p>A manager killed, or halted by its owner's death, leaves its directory behind; the next
 * manager started on the machine deletes it ({@link #sweepDead()}), as the process pool sweeps its
 * workers' pipe directories.
 *
 * <p>Thread safety: {@link #close()} may be called from any thread, once or more.
 */
final class Door implements AutoCloseable {

  /** The logger, bound on first use: a pool that logs nothing binds no logging (docs/performance-log.md). */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Door.class);
  }
  /** How long a knocking client may take to say HELLO. */
  static final long HELLO_TIMEOUT_SECONDS = 5;
  /** The ring of each client's pipe: calls are small; larger ones go through its socket. */
  static final int RING_BYTES = 1 << 20;

  private final Path directory;
  private final Path socket;
  private final ServerSocketChannel server;
  private final byte[] secret;
  private final Consumer<Connection> onClient;
  private final Thread acceptor;

  private Door(Path directory, ServerSocketChannel server, byte[] secret, Consumer<Connection> onClient) {
    this.directory = directory;
    this.socket = directory.resolve("door");
    this.server = server;
    this.secret = secret.clone();
    this.onClient = onClient;
    this.acceptor = Thread.ofPlatform().daemon().name("multiproc-manager-door").unstarted(this::acceptLoop);
  }

  /**
   * Opens a door and starts accepting.
   *
   * @param secret what clients must send
   * @param onClient takes the manager's end of each admitted client's pipe
   * @return the open door
   * @throws IOException if the socket cannot be created
   */
  static Door open(byte[] secret, Consumer<Connection> onClient) throws IOException {
    Path dir = Files.createTempDirectory(DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(dir.resolve("door")));
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(dir);
      throw e;
    }
    Door door = new Door(dir, server, secret, onClient);
    door.acceptor.start();
    return door;
  }

  /** The prefix of every door directory; the manager's pid follows. */
  static final String DIRECTORY_PREFIX = "multiproc-mgr-";

  /**
   * Deletes the doors of managers that died without closing them (killed, or halted when their
   * owner died), in the temporary directory: those whose pid in the name is not running.
   */
  static void sweepDead() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (var dirs = Files.newDirectoryStream(tmp, DIRECTORY_PREFIX + "*")) {
      for (Path dir : dirs) {
        String rest = dir.getFileName().toString().substring(DIRECTORY_PREFIX.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue; // not one of ours
        }
        if (running(pid)) {
          continue;
        }
        try {
          Files.deleteIfExists(dir.resolve("door"));
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          Log.LOG.debug("cannot delete the dead manager's door {}", dir, e);
        }
      }
    } catch (IOException e) {
      Log.LOG.debug("cannot sweep dead managers' doors in {}", tmp, e);
    }
  }

  /** Alive and not a zombie (an exited process its new parent has not reaped yet). */
  private static boolean running(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return true; // no /proc: trust isAlive
    }
  }

  /** {@return the socket's path} */
  Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (server.isOpen()) {
          Log.LOG.warn("manager door {} stopped accepting", socket, e);
        }
        return;
      }
      Thread.ofVirtual().name("multiproc-manager-knock").start(() -> admit(client));
    }
  }

  private void admit(SocketChannel client) {
    CompletableFuture<Void> spoke = new CompletableFuture<>();
    spoke.orTimeout(HELLO_TIMEOUT_SECONDS, TimeUnit.SECONDS).exceptionally(t -> {
      close(client);
      return null;
    });
    try (client) {
      Frame first = new FrameReader(Channels.newInputStream(client), DoorHandshake.MAX_FRAME_BYTES,
          DoorFrameType.DIALECT).read();
      spoke.complete(null);
      if (first == null) {
        return;
      }
      DoorHandshake.check(first, secret);
      Pipe pipe = Pipe.builder().sharedMemoryRing(RING_BYTES).open();
      String handle = pipe.second().handle();
      FrameWriter writer = new FrameWriter(Channels.newOutputStream(client), DoorHandshake.MAX_FRAME_BYTES);
      writer.write(DoorHandshake.hello(handle.getBytes(StandardCharsets.UTF_8)).toFrame(DoorFrameType.HELLO));
      writer.flush();
      onClient.accept(pipe.first());
    } catch (IOException | RuntimeException e) {
      if (server.isOpen()) {
        Log.LOG.warn("manager door {} refused a client: {}", socket, e.toString());
      }
    } finally {
      spoke.complete(null);
    }
  }

  /** Stops accepting and deletes the socket and its directory. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      Log.LOG.debug("closing manager door {}", socket, e);
    }
    try {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      Log.LOG.warn("cannot delete manager door {}", directory, e);
    }
  }

  private static void close(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // ending a silent client; nothing else to do
    }
  }
}
