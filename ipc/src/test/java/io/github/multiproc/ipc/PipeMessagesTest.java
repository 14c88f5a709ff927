package io.github.multiproc.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.ipc.codec.NotSerializableValueException;
import io.github.multiproc.ipc.shm.MessageTooLargeException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a pipe says when it is used wrongly, and what it must never do: return a wrong value. */
@Timeout(20)
class PipeMessagesTest {

  /** The three ways a message travels: socket only, a ring record, a ring marker plus a socket frame. */
  private static List<Pipe> pipesOfEveryTransport() throws IOException {
    return List.of(Pipe.builder().sharedMemoryRing(0).open(), Pipe.open(),
        Pipe.builder().sharedMemoryRing(128 << 10).open());
  }

  private static byte[] sized(int bytes, byte... head) {
    byte[] b = new byte[bytes];
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  @Test
  void shouldRefuseToReceiveBytesAsAnObjectOrAnObjectAsBytesAndKeepTheMessage() throws Exception {
    for (Pipe pipe : pipesOfEveryTransport()) {
      try (pipe) {
        Connection a = pipe.first();
        Connection b = pipe.second();
        a.sendBytes(new byte[] {1, 2, 3});
        assertThatThrownBy(b::recv).isInstanceOf(MessageKindException.class)
            .hasMessage("the next message on this pipe was sent with sendBytes(...) and must be received"
                + " with recvBytes(), not recv(); it is still there");
        assertThat(b.recvBytes()).containsExactly(1, 2, 3);
        a.send(List.of(0));
        assertThatThrownBy(b::recvBytes).isInstanceOf(MessageKindException.class)
            .hasMessageContaining("was sent with send(...) and must be received with recv(), not recvBytes()");
        assertThat(b.recv()).isEqualTo(List.of(0));
        a.sendBytes(new byte[] {0}); // once decoded as null
        assertThat(b.poll(Duration.ofSeconds(5))).isTrue();
        assertThatThrownBy(b::recv).isInstanceOf(MessageKindException.class);
        assertThat(b.recvBytes()).containsExactly(0);
      }
    }
  }

  @Test
  void shouldKeepTheKindOfMessagesTooBigForTheRing() throws Exception {
    try (Pipe pipe = Pipe.builder().sharedMemoryRing(128 << 10).open()) {
      Connection a = pipe.first();
      Connection b = pipe.second();
      CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
        try {
          a.sendBytes(sized(100_000, (byte) 9));        // > capacity / 2: a marker plus a socket frame
          a.send(new ArrayList<>(List.of("x".repeat(100_000))));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      assertThatThrownBy(b::recv).isInstanceOf(MessageKindException.class);
      assertThat(b.recvBytes()).hasSize(100_000).startsWith(9);
      assertThatThrownBy(b::recvBytes).isInstanceOf(MessageKindException.class);
      assertThat(b.recv(List.class)).hasSize(1);
      sender.join();
    }
  }

  @Test
  void shouldSayAMessageIsTooLargeWithItsSizeAndTheLimit() throws Exception {
    try (Pipe pipe = Pipe.builder().maxMessageBytes(100).open()) {
      assertThatThrownBy(() -> pipe.first().sendBytes(new byte[101]))
          .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
            assertThat(e.messageBytes()).isEqualTo(101);
            assertThat(e.maxMessageBytes()).isEqualTo(100);
          })
          .hasMessage("message is too large for pipe end 0: 101 bytes, over the limit of maxMessageBytes=100"
              + " bytes; send it in parts, or open the pipe with Pipe.builder().maxMessageBytes(...)");
      assertThatThrownBy(() -> pipe.first().send("y".repeat(200))).isInstanceOf(MessageTooLargeException.class);
      pipe.first().sendBytes(new byte[100]); // nothing was sent before: the pipe goes on
      assertThat(pipe.second().recvBytes()).hasSize(100);
    }
  }

  record Carrier(Connection end) implements Serializable {}

  @Test
  void shouldSayAnEndWasAlreadyHandedOutWhenItIsSerializedTwice() throws Exception {
    JdkCodec codec = JdkCodec.create();
    try (Pipe pipe = Pipe.open()) {
      byte[] first = codec.encode(new Carrier(pipe.second()));
      assertThatThrownBy(() -> codec.encode(new Carrier(pipe.second())))
          .isInstanceOf(NotSerializableValueException.class)
          .hasMessageContaining("pipe end 1 was already handed out to another process: an end can be"
              + " handed out once")
          .hasMessageContaining("field 'end'")
          .hasMessageNotContaining("does not implement java.io.Serializable");
      Connection copy = ((Carrier) codec.decode(first)).end();
      copy.send("once");
      assertThat(pipe.first().recv()).isEqualTo("once");
      copy.close();
    }
  }

  @Test
  void shouldAttachWhileConnectionsThatNeverSpeakAreOpen() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      String handle = pipe.second().handle();
      Path socket = Path.of(handle.substring(handle.lastIndexOf(':') + 1));
      List<SocketChannel> silent = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) { // each may keep its handshake open for 5 s
          SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
          s.connect(UnixDomainSocketAddress.of(socket));
          silent.add(s);
        }
        // Accepted one after another, the eight would hold the attach for 40 s: past the timeout.
        Connection remote = Connection.attach(handle);
        remote.send("attached");
        assertThat(pipe.first().recv()).isEqualTo("attached");
        assertThat(Files.exists(socket)).isFalse(); // one-shot as before
        remote.close();
      } finally {
        for (SocketChannel s : silent) {
          s.close();
        }
      }
    }
  }
}
