package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.Task;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing a worker prints can touch the protocol: output the JVM prints before {@code main}, and
 * what tasks print through {@code System.out}, straight to fd 1, or through native {@code printf},
 * reaches the parent's {@code System.out} line by line, attributed to the worker, while every
 * result arrives intact.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerOutputIT {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalOut;

  @BeforeEach
  void captureStdout() {
    originalOut = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // OutputSink looks it up per line
  }

  @AfterEach
  void restoreStdout() {
    System.setOut(originalOut);
  }

  private String captured() {
    synchronized (captured) { // PrintStream writes under its own lock; read a stable copy
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void shouldStartWhenTheJvmPrintsToStdoutBeforeMain() {
    // -Xlog:...:stdout prints on fd 1 before WorkerMain runs (as -XX:StartFlightRecording does); over stdio
    // this broke the handshake ("frame length must be <= maxFrameBytes ... |[0.0|")
    try (ProcessPool pool = ProcessPool.builder().workers(1).aotCache(false)
        .jvmArgs("-Xlog:gc+init=info:stdout").build()) {
      long pid = pool.workerPids().getFirst();
      assertThat(pool.map(x -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(captured())
          .containsPattern("\\[worker " + pid + "\\] \\[[0-9.]+s\\]\\[info\\]\\[gc,init\\]"));
    }
  }

  @Test
  void shouldForwardWhatTasksPrintWithoutCorruptingFrames() {
    Task<Integer, Integer> noisy = x -> {
      System.out.println("java-println-" + x);
      // bytes that look like a frame header (length 9, type RESULTS), straight to fd 1
      FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
      fd1.write(new byte[] {0, 0, 0, 9, 4, 0, 0, 0, 0, 0, 0, 0, 1});
      fd1.write(("\nraw-fd1-" + x + "\n").getBytes(StandardCharsets.UTF_8));
      nativePrintf("native-printf-" + x + "\n");
      return x + 1;
    };
    try (ProcessPool pool = ProcessPool.builder().workers(2).aotCache(false).build()) {
      List<Integer> inputs = IntStream.range(0, 40).boxed().toList();
      assertThat(pool.map(noisy, inputs)).isEqualTo(inputs.stream().map(x -> x + 1).toList());
      List<Long> pids = pool.workerPids();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        String out = captured();
        for (int x : inputs) {
          assertThat(out).containsPattern("\\[worker (" + pids.get(0) + "|" + pids.get(1) + ")\\] java-println-" + x + "\n")
              .containsPattern("\\[worker \\d+\\] raw-fd1-" + x + "\n")
              .containsPattern("\\[worker \\d+\\] native-printf-" + x + "\n");
        }
      });
    }
  }

  /** Calls libc's {@code printf} and {@code fflush(NULL)} in the worker (stdio buffers a pipe fully). */
  private static void nativePrintf(String text) {
    Linker linker = Linker.nativeLinker();
    MethodHandle printf = linker.downcallHandle(linker.defaultLookup().find("printf").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    MethodHandle fflush = linker.downcallHandle(linker.defaultLookup().find("fflush").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    try (Arena arena = Arena.ofConfined()) {
      int n = (int) printf.invokeExact(arena.allocateFrom(text.replace("%", "%%")));
      int flushed = (int) fflush.invokeExact(MemorySegment.NULL);
      if (n < 0 || flushed != 0) {
        throw new UncheckedIOException(new IOException("printf/fflush failed: " + n + ", " + flushed));
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
