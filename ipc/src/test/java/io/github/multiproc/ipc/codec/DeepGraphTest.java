package io.github.multiproc.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deep object graphs: a clear error past the depth limit, never a raw StackOverflowError. */
@Timeout(60)
class DeepGraphTest {

  static final class Node implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    final Node next;
    final int value;

    Node(Node next, int value) {
      this.next = next;
      this.value = value;
    }

    int length() {
      int n = 0;
      for (Node at = this; at != null; at = at.next) {
        n++;
      }
      return n;
    }
  }

  static Node chain(int length) {
    Node head = null;
    for (int i = 0; i < length; i++) {
      head = new Node(head, i);
    }
    return head;
  }

  /** Runs {@code work} on a thread with a small stack, where serialization overflows early. */
  static <T> T onSmallStack(java.util.function.Supplier<T> work) throws InterruptedException {
    return onStack(192 << 10, work);
  }

  /**
   * Runs {@code work} on a platform thread with a stack of {@code bytes} (0: the JVM's default
   * for new threads, 1 MiB on Linux x64; a test runner's main thread has 8 MiB).
   */
  static <T> T onStack(long bytes, java.util.function.Supplier<T> work) throws InterruptedException {
    AtomicReference<Object> out = new AtomicReference<>();
    Thread t = Thread.ofPlatform().name("multiproc-test-stack").stackSize(bytes).start(() -> {
      try {
        out.set(work.get());
      } catch (Throwable e) {
        out.set(e);
      }
    });
    t.join();
    if (out.get() instanceof RuntimeException e) {
      throw e;
    }
    if (out.get() instanceof Error e) {
      throw e;
    }
    @SuppressWarnings("unchecked")
    T result = (T) out.get();
    return result;
  }

  @Test
  void shouldRefuseToEncodeAGraphDeeperThanTheLimitNamingTheClassAndTheLimit() {
    JdkCodec codec = JdkCodec.create();
    // 1,500 levels overflow a 256 KiB stack whatever the JIT did (a default 1 MiB stack holds
    // ~1,000 to ~1,800 levels depending on compilation, too close to call)
    assertThatThrownBy(() -> onStack(256 << 10, () -> codec.encode(chain(1_500))))
        .isInstanceOfSatisfying(GraphTooDeepException.class, e -> {
          assertThat(e.offendingClassName()).isEqualTo(Node.class.getName());
          assertThat(e.maxDepth()).isEqualTo(DecodeLimits.DEFAULT_MAX_DEPTH);
        })
        .hasMessageContaining("too deep").hasMessageContaining("maxDepth=1000")
        .hasMessageContaining("a " + Node.class.getName());
    assertThatThrownBy(() -> onStack(0, () -> codec.encodeAll(List.of(1, chain(50_000)))))
        .isInstanceOf(GraphTooDeepException.class); // and 50,000 levels overflow a default stack
    assertThatThrownBy(() -> onStack(0, () -> FastPathCodec.create().encode(chain(50_000))))
        .isInstanceOf(GraphTooDeepException.class);
  }

  @Test
  void shouldEncodeAndDecodeAGraphWithinTheLimitEvenWhereTheStackIsSmall() throws Exception {
    JdkCodec codec = JdkCodec.create();
    Node deep = chain(950);
    byte[] bytes = onSmallStack(() -> codec.encode(deep));
    Node back = onSmallStack(() -> (Node) codec.decode(bytes));
    assertThat(back.length()).isEqualTo(950);
    byte[] many = onSmallStack(() -> codec.encodeAll(List.of("a", deep, 3)));
    DecodedItems items = onSmallStack(() -> codec.decodeAll(many, 3));
    assertThat(items.allDecoded()).isTrue();
    assertThat(((Node) items.value(1)).length()).isEqualTo(950);
  }

  @Test
  void shouldStopDecodingAtTheDepthLimit() {
    JdkCodec deepOk = JdkCodec.builder().limits(DecodeLimits.defaults().withMaxDepth(5_000)).build();
    byte[] bytes = deepOk.encode(chain(3_000));
    assertThat(((Node) deepOk.decode(bytes)).length()).isEqualTo(3_000); // needed the big stack here
    assertThatThrownBy(() -> JdkCodec.create().decode(bytes))
        .isInstanceOf(RejectedPayloadException.class)
        .hasMessageContaining("object graph depth must be <= maxDepth=1000");
  }
}
