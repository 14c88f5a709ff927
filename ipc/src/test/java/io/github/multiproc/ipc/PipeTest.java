package io.github.multiproc.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.ipc.codec.NotSerializableValueException;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameEncoder;
import io.github.multiproc.ipc.pipe.PipeFrameType;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.ipc.frame.Hello;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class PipeTest {

  @org.junit.jupiter.api.AfterEach
  void shouldLeaveNoSharedMemoryOrSocketFilesBehind() throws Exception {
    assertThat(shmFiles()).isEmpty();
  }

  @Test
  void shouldCarryObjectsAndBytesBothWaysInOrder() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      Connection a = pipe.first();
      Connection b = pipe.second();
      a.send(List.of(1, 2));
      a.sendBytes(new byte[] {7, 8, 9}, 1, 2);
      a.send(null);
      Object list = b.recv(List.class);
      assertThat(list).isEqualTo(List.of(1, 2));
      assertThat(b.recvBytes()).containsExactly(8, 9);
      assertThat(b.recv()).isNull();
      // Larger than the socket buffers: needs a concurrent reader, as with any pipe.
      CompletableFuture<byte[]> big = CompletableFuture.supplyAsync(() -> {
        try {
          return a.recvBytes();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      b.sendBytes(new byte[3 << 20]);
      assertThat(big.get()).hasSize(3 << 20);
    }
  }

  @Test
  void shouldGiveEndOfStreamAfterTheMessagesSentBeforeClose() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      pipe.first().send("last");
      pipe.first().close();
      assertThat(pipe.second().recv()).isEqualTo("last");
      assertThat(pipe.second().poll(Duration.ofSeconds(5))).isTrue();
      assertThatThrownBy(() -> pipe.second().recv())
          .isInstanceOf(EOFException.class).hasMessage("the peer closed its end of the pipe");
      assertThatThrownBy(() -> pipe.first().send("x")).isInstanceOf(ClosedChannelException.class);
    }
  }

  @Test
  void shouldGiveEndOfStreamWhenThePeerIsClosedBeforeEverBeingUsed() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      pipe.first().close();
      assertThatThrownBy(() -> pipe.second().recv()).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void shouldEnforceTheDirectionOfAOneWayPipe() throws Exception {
    try (Pipe pipe = Pipe.open(false)) {
      assertThatThrownBy(() -> pipe.first().send(1))
          .isInstanceOf(IllegalStateException.class).hasMessage("this end of a one-way pipe only receives");
      assertThatThrownBy(() -> pipe.second().recv())
          .isInstanceOf(IllegalStateException.class).hasMessage("this end of a one-way pipe only sends");
      pipe.second().send(1);
      assertThat(pipe.first().recv()).isEqualTo(1);
    }
  }

  @Test
  void shouldPollWithATimeout() throws Exception {
    try (Pipe pipe = Pipe.builder().spin(Duration.ZERO).open()) {
      assertThat(pipe.first().poll()).isFalse();
      assertThat(pipe.first().poll(Duration.ofMillis(20))).isFalse();
      pipe.second().send("x");
      assertThat(pipe.first().poll(Duration.ofSeconds(5))).isTrue();
      assertThat(pipe.first().recv()).isEqualTo("x");
    }
  }

  @Test
  void shouldWakeABlockedReceiverOnCloseAndOnInterrupt() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      pipe.second().send("connect");
      assertThat(pipe.first().recv()).isEqualTo("connect");
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          pipe.first().recv();
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.RUNNABLE
          || t.getState() == Thread.State.WAITING);
      await().atMost(Duration.ofSeconds(5)).until(() -> t.getStackTrace().length > 0
          && List.of(t.getStackTrace()).toString().contains("select"));
      pipe.first().close();
      t.join(Duration.ofSeconds(5));
      assertThat(failure.get()).isInstanceOf(ClosedChannelException.class);
    }
    try (Pipe pipe = Pipe.open()) {
      CompletableFuture<Throwable> result = new CompletableFuture<>();
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          pipe.first().recv();
        } catch (Throwable e) {
          result.complete(e);
        }
        result.complete(null);
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.WAITING
          || List.of(t.getStackTrace()).toString().contains("select"));
      t.interrupt();
      assertThat(result.get()).isInstanceOf(InterruptedIOException.class);
    }
  }

  @Test
  void shouldCloseAtOnceWhileASenderIsBlockedOnAFullSocket() throws Exception {
    assertCloseWakesABlockedSender(Pipe.builder().spin(Duration.ZERO).sharedMemoryRing(0), "FrameChannel.await");
  }

  @Test
  void shouldCloseAtOnceWhileASenderIsBlockedOnAFullSharedRing() throws Exception {
    assertCloseWakesABlockedSender(Pipe.builder().sharedMemoryRing(1 << 20), "RingWriter.awaitSpace");
  }

  private static void assertCloseWakesABlockedSender(Pipe.Builder builder, String waitingIn) throws Exception {
    try (Pipe pipe = builder.open()) {
      pipe.second().send("connect");
      assertThat(pipe.first().recv()).isEqualTo("connect");
      CompletableFuture<Throwable> sender = CompletableFuture.supplyAsync(() -> {
        try {
          while (true) {
            pipe.first().sendBytes(new byte[256 * 1024]); // nobody reads: fills the buffers
          }
        } catch (Throwable e) {
          return e;
        }
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().entrySet().stream()
          .anyMatch(e -> List.of(e.getValue()).toString().contains(waitingIn)));
      pipe.first().close();
      assertThat(sender.get()).isInstanceOf(ClosedChannelException.class);
    }
    assertThat(shmFiles()).isEmpty();
  }

  @Test
  void shouldCarryLargeMessagesThroughTheSharedRingInOrderWithSmallOnes() throws Exception {
    int ring = 256 * 1024; // small: messages wrap around its end
    try (Pipe pipe = Pipe.builder().sharedMemoryRing(ring).open()) {
      List<byte[]> sent = new java.util.ArrayList<>();
      java.util.SplittableRandom random = new java.util.SplittableRandom(7);
      for (int i = 0; i < 60; i++) {
        int size = switch (i % 4) {
          case 0 -> 10;
          case 1 -> 64 * 1024;
          case 2 -> ring / 2;
          default -> ring; // too big for the ring: goes through the socket
        };
        byte[] m = new byte[size + random.nextInt(0, 100) * (i % 4 == 2 ? 0 : 1)];
        random.nextBytes(m);
        sent.add(m);
      }
      CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
        try {
          for (byte[] m : sent) {
            pipe.second().sendBytes(m);
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      for (byte[] m : sent) {
        assertThat(pipe.first().recvBytes()).isEqualTo(m);
      }
      sender.get();
      assertThat(shmFiles()).isEmpty(); // the receiver deleted the name once it had mapped it
    }
  }

  @Test
  void shouldNeverLoseAWakeUpInAPingPong() throws Exception {
    for (Duration spin : List.of(Duration.ZERO, Duration.ofNanos(3_000), Pipe.DEFAULT_SPIN)) {
      try (Pipe pipe = Pipe.builder().spin(spin).open()) {
        int n = 5_000;
        CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
          try {
            for (int i = 0; i < n; i++) {
              pipe.second().sendBytes(pipe.second().recvBytes());
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        byte[] m = new byte[64];
        for (int i = 0; i < n; i++) {
          m[0] = (byte) i;
          pipe.first().sendBytes(m);
          assertThat(pipe.first().recvBytes()[0]).isEqualTo((byte) i);
        }
        echo.get();
      }
    }
  }

  static List<Path> shmFiles() throws java.io.IOException {
    Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm)) {
      return List.of();
    }
    try (var files = Files.list(shm)) {
      return files.filter(f -> f.getFileName().toString().startsWith("multiproc-pipe-"
          + ProcessHandle.current().pid() + "-")).toList();
    }
  }

  @Test
  void shouldCloseAtOnceWhileAReceiverWaitsForThePeerToAttach() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      pipe.second().handle(); // handed out, never attached
      CompletableFuture<Throwable> receiver = CompletableFuture.supplyAsync(() -> {
        try {
          pipe.first().recv();
          return null;
        } catch (Throwable e) {
          return e;
        }
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().entrySet().stream()
          .anyMatch(e -> List.of(e.getValue()).toString().contains("Rendezvous.attachLocal")));
      pipe.first().close();
      assertThat(receiver.get()).isInstanceOf(ClosedChannelException.class);
    }
  }

  @Test
  void shouldHandAnEndOverByHandleOnceAndThenRefuseEveryoneElse() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      String handle = pipe.second().handle();
      Path socket = Path.of(handle.substring(handle.lastIndexOf(':') + 1));
      assertThat(Files.getPosixFilePermissions(socket.getParent()))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));
      assertThatThrownBy(() -> pipe.second().send(1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("pipe end 1 was handed to another process and cannot be used here any more");
      assertThatThrownBy(() -> pipe.first().handle())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("one end must stay in the JVM that opened the pipe");

      // An impostor without the cookie is dropped without an answer.
      try (SocketChannel impostor = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        impostor.connect(UnixDomainSocketAddress.of(socket));
        byte[] wrong = new byte[33];
        wrong[32] = 1;
        impostor.write(new FrameEncoder(Frames.DEFAULT_MAX_FRAME_BYTES)
            .encode(Hello.current(wrong).toFrame(PipeFrameType.HELLO)));
        assertThat(impostor.read(ByteBuffer.allocate(64))).isEqualTo(-1);
      }

      Connection remote = Connection.attach(handle);
      remote.send("via handle");
      assertThat(pipe.first().recv()).isEqualTo("via handle");
      assertThat(socket.getParent()).doesNotExist(); // one-shot: the socket is gone

      Connection third = Connection.attach(handle);
      assertThatThrownBy(third::recv).isInstanceOf(EOFException.class)
          .hasMessageContaining("is gone: nobody accepts at " + socket);
      remote.close();
    }
  }

  @Test
  void shouldSerializeAnEndAsAHandleThatReattaches() throws Exception {
    JdkCodec codec = JdkCodec.create();
    try (Pipe pipe = Pipe.open()) {
      byte[] bytes = codec.encode(List.of(pipe.second()));
      Connection copy = (Connection) ((List<?>) codec.decode(bytes)).get(0);
      copy.send(42);
      assertThat(pipe.first().recv()).isEqualTo(42);
      pipe.first().send("back");
      assertThat(copy.recv()).isEqualTo("back");
      pipe.second().close(); // the handed-out local copy: a no-op
      pipe.first().send("still open");
      assertThat(copy.recv()).isEqualTo("still open");
      copy.close();
    }
  }

  @Test
  void shouldRefuseToSerializeAnEndInUse() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      pipe.first().send(1);
      assertThatThrownBy(() -> JdkCodec.create().encode(pipe.second()))
          .isInstanceOf(NotSerializableValueException.class)
          .hasMessageContaining("both ends are already connected inside this JVM");
    }
  }

  @Test
  void shouldRejectAMalformedHandle() {
    assertThatThrownBy(() -> Connection.attach("nonsense"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pipe handle must start with 'multiproc-pipe:2:': handle=nonsense");
  }

  static Frame unused() {
    return Frame.empty(PipeFrameType.PING, 0);
  }
}
