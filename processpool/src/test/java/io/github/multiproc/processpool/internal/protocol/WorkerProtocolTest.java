package io.github.multiproc.processpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.ipc.frame.CorruptedFrameException;
import io.github.multiproc.ipc.frame.Frame;
import io.github.multiproc.ipc.frame.FrameException;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.ipc.frame.Hello;
import io.github.multiproc.ipc.frame.ProtocolMismatchException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker protocol's messages: each one round-trips through the wire byte for byte, each is
 * laid out as {@link MessageType} draws it, and a truncated, corrupt or misdirected message gives
 * the protocol's error ({@link FrameException}), never another exception.
 */
class WorkerProtocolTest {

  private static final JdkCodec CODEC = JdkCodec.create();

  static List<ParentMessage> parentMessages(long id) {
    byte[] tasks = ParentMessage.Tasks.encode(id + 1, id + 2, List.of(1, "two", 3L), CODEC).toByteArray();
    return List.of(new ParentMessage.Define(id, 5, 6, new byte[] {7, 8}), new ParentMessage.Initialize(new byte[] {1}),
        new ParentMessage.InjectFaults(new byte[] {2}), ParentMessage.Tasks.of(id, tasks),
        new ParentMessage.Cancel(id), new ParentMessage.Recall(id), new ParentMessage.Release(id),
        new ParentMessage.Ping(id), new ParentMessage.Shutdown());
  }

  static List<WorkerMessage> workerMessages(long id) {
    byte[] results = ResultsCodec.encode(new Object[] {1, null}, new Throwable[] {null, new IllegalStateException("x")},
        42, CODEC);
    return List.of(WorkerMessage.Results.of(id, results), new WorkerMessage.Dropped(id, "recalled"),
        new WorkerMessage.Stopping("timeout"), new WorkerMessage.Pong(id));
  }

  @Test
  void shouldRoundTripEveryMessageByteForByte() {
    qt().withExamples(50).forAll(longs().all()).checkAssert(id -> {
      for (ParentMessage m : parentMessages(id)) {
        Frame wire = roundTrip(m.toFrame());
        ParentMessage back = unchecked(() -> asParent(wire));
        assertThat(back.getClass()).isEqualTo(m.getClass());
        assertThat(back.toFrame()).isEqualTo(m.toFrame());
      }
      for (WorkerMessage m : workerMessages(id)) {
        Frame wire = roundTrip(m.toFrame());
        WorkerMessage back = unchecked(() -> asWorker(wire));
        assertThat(back.getClass()).isEqualTo(m.getClass());
        assertThat(back.toFrame()).isEqualTo(m.toFrame());
      }
    });
  }

  @Test
  void shouldLayOutDefineAndTasksAsDrawn() {
    Frame define = new ParentMessage.Define(3, 0x0102, 0x0304, new byte[] {9}).toFrame();
    assertThat(define.type().code()).isEqualTo((byte) 0x02);
    assertThat(define.correlationId()).isEqualTo(3);
    assertThat(define.payload()).containsExactly(0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 9);
    ParentMessage.Tasks t = ParentMessage.Tasks.of(11, ParentMessage.Tasks.encode(7, 100, List.of(1), CODEC).toByteArray());
    assertThat(t.callId()).isEqualTo(7);
    assertThat(t.firstIndex()).isEqualTo(100);
    assertThat(Arrays.copyOf(t.payload(), 16)).containsExactly(0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 100);
    assertThat(MessageType.DIALECT.name()).isEqualTo("process-pool worker");
  }

  @Test
  void shouldRefuseMalformedMessagesWithTheProtocolsError() {
    assertThatThrownBy(() -> asParent(new Frame(MessageType.TASKS, 1, new byte[15])))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("fewer than its 16-byte header");
    assertThatThrownBy(() -> asParent(new Frame(MessageType.DEFINE, 1, new byte[9])))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("malformed DEFINE");
    assertThatThrownBy(() -> asWorker(new Frame(MessageType.RESULTS, 1, new byte[11])))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("fewer than its 12-byte header");
    byte[] none = new byte[22]; // item count 0
    assertThatThrownBy(() -> asWorker(new Frame(MessageType.RESULTS, 1, none)))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("item count 0");
    byte[] nulls = new byte[13];
    nulls[11] = 25; // 25 null items take no byte each: a count larger than the payload is legitimate here
    assertThat(((WorkerMessage.Results) unchecked(() -> asWorker(new Frame(MessageType.RESULTS, 1, nulls)))).count())
        .isEqualTo(25);
    assertThatThrownBy(() -> asWorker(new ParentMessage.Cancel(1).toFrame()))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("does not accept CANCEL");
    assertThatThrownBy(() -> asParent(new WorkerMessage.Pong(1).toFrame()))
        .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("does not accept PONG");
  }

  @Test
  void shouldRefuseUnknownTypeCodesOnTheWire() {
    byte[] wire = roundTripBytes(new ParentMessage.Ping(1).toFrame());
    wire[Frames.TYPE_OFFSET] = 0x7E;
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(wire), Frames.DEFAULT_MAX_FRAME_BYTES,
        MessageType.DIALECT).read()).isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("process-pool worker");
  }

  @Test
  void shouldOnlyEverThrowTheProtocolsErrorOnArbitraryPayloads() {
    qt().withExamples(500).forAll(integers().between(0, MessageType.values().length - 1),
        lists().of(integers().between(-128, 127)).ofSizeBetween(0, 40)).checkAssert((t, bytes) -> {
          byte[] payload = new byte[bytes.size()];
          for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (int) bytes.get(i);
          }
          Frame f = new Frame(MessageType.values()[t], 1, payload);
          try {
            asParent(f);
          } catch (CorruptedFrameException e) {
            // the protocol's error: fine
          }
          try {
            asWorker(f);
          } catch (CorruptedFrameException e) {
            // the protocol's error: fine
          }
        });
  }

  @Test
  void shouldNegotiateTheHandshakeAndRefuseAWorkerWithNoCommonVersion() throws Exception {
    Hello worker = new Hello(Protocol.MIN_VERSION, Protocol.VERSION, 1, "25", new byte[0]);
    assertThat(Hello.fromFrame(roundTrip(worker.toFrame(MessageType.HELLO))).negotiate(Protocol.HELLO_RANGE))
        .isEqualTo(Protocol.VERSION);
    Hello old = new Hello(1, 1, 1, "25", new byte[0]);
    assertThatThrownBy(() -> old.negotiate(Protocol.HELLO_RANGE)).isInstanceOf(ProtocolMismatchException.class);
  }

  interface Read<T> {
    T read() throws CorruptedFrameException;
  }

  private static <T> T unchecked(Read<T> r) {
    try {
      return r.read();
    } catch (CorruptedFrameException e) {
      throw new AssertionError(e);
    }
  }

  private static ParentMessage asParent(Frame f) throws CorruptedFrameException {
    return ParentMessage.fromFrame(f);
  }

  private static WorkerMessage asWorker(Frame f) throws CorruptedFrameException {
    return WorkerMessage.fromFrame(f);
  }

  private static byte[] roundTripBytes(Frame f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      FrameWriter w = new FrameWriter(out, Frames.DEFAULT_MAX_FRAME_BYTES);
      w.write(f);
      w.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static Frame roundTrip(Frame f) {
    try {
      return new FrameReader(new ByteArrayInputStream(roundTripBytes(f)), Frames.DEFAULT_MAX_FRAME_BYTES,
          MessageType.DIALECT).read();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
