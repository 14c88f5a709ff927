package io.github.multiproc.processpool.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.ipc.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A manager's sessions, in this JVM: a client admitted at the door that never attaches its pipe
 * (or never calls) is dropped after the first-request timeout, and one that calls is served.
 */
class SessionsTest {

  private static final Duration SHORT = Duration.ofMillis(300);
  /** A batch of no calls: the smallest well-formed request. */
  private static final byte[] EMPTY_BATCH = {CallWire.BATCH, 0, 0, 0, 0};

  @Test
  void shouldDropAClientThatKnocksButNeverAttaches() throws Exception {
    byte[] secret = new byte[ManagerAddress.SECRET_BYTES];
    Arrays.fill(secret, (byte) 7);
    Sessions sessions = new Sessions(dispatcher(), SHORT);
    try (Door door = Door.open(secret, sessions::start)) {
      ManagerAddress address = new ManagerAddress("test", ProcessHandle.current().pid(),
          door.socket().toString(), secret, List.of());

      String handle = DoorHandshake.knock(address); // and never attach it

      await().atMost(Duration.ofSeconds(10)).until(() -> sessions.openCount() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> sessions.openCount() == 0);
      assertThat(socketDirectoryOf(handle)).doesNotExist();
    } finally {
      sessions.closeAll();
    }
  }

  @Test
  void shouldServeAClientThatAttachesAndCallsAfterTheTimeoutHasPassedOnAnother() throws Exception {
    byte[] secret = new byte[ManagerAddress.SECRET_BYTES];
    Arrays.fill(secret, (byte) 9);
    Sessions sessions = new Sessions(dispatcher(), SHORT);
    try (Door door = Door.open(secret, sessions::start)) {
      ManagerAddress address = new ManagerAddress("test", ProcessHandle.current().pid(),
          door.socket().toString(), secret, List.of());
      try (Connection client = Connection.attach(DoorHandshake.knock(address))) {
        client.sendBytes(EMPTY_BATCH);
        assertThat(client.recvBytes()).isNotEmpty();
        // an attached client may stay quiet longer than the first-request timeout
        await().during(SHORT.multipliedBy(3)).atMost(Duration.ofSeconds(10)).until(() -> sessions.openCount() == 1);
        client.sendBytes(EMPTY_BATCH);
        assertThat(client.recvBytes()).isNotEmpty();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> sessions.openCount() == 0);
    } finally {
      sessions.closeAll();
    }
  }

  private static Dispatcher dispatcher() {
    ClassLoader loader = SessionsTest.class.getClassLoader();
    return new Dispatcher(new ServedObjects(loader), new ManagerCodecs.Server(List.of(), loader));
  }

  /**
   * The handed-out pipe end's rendezvous directory (the handle's last field is its socket path):
   * gone once the manager's end is closed.
   */
  private static Path socketDirectoryOf(String handle) {
    Path socket = Path.of(handle.substring(handle.lastIndexOf(':') + 1));
    assertThat(socket.getParent()).as("pipe handle %s", handle).isNotNull();
    return socket.getParent();
  }
}
