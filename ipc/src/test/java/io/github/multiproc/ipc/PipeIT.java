package io.github.multiproc.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.multiproc.ipc.codec.JdkCodec;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/** Pipes between this JVM and real child JVMs ({@link PipePeer}). */
@Timeout(60)
class PipeIT {

  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildrenAndCheckNothingLeaks() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid()));
    children.forEach(p -> pids.add(p.pid()));
    java.nio.file.Path shm = java.nio.file.Path.of("/dev/shm");
    if (!java.nio.file.Files.isDirectory(shm)) {
      return;
    }
    try (var files = java.nio.file.Files.list(shm)) {
      assertThat(files.map(f -> f.getFileName().toString())
          .filter(n -> pids.stream().anyMatch(pid -> n.startsWith("multiproc-pipe-" + pid + "-"))))
          .isEmpty();
    }
  }

  private Process spawn(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "-cp", System.getProperty("java.class.path"), "-Xshare:auto",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", PipePeer.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    children.add(p);
    return p;
  }

  @Test
  void shouldPreserveOrderAndContentOfAnyMessageSequenceBetweenTwoJvms() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      spawn("echo", pipe.second().handle());
      Connection c = pipe.first();
      Gen<byte[]> messages = integers().between(0, 256).mix(integers().between(257, 200_000), 10)
          .zip(integers().all(), (size, seed) -> {
            byte[] b = new byte[size];
            new SplittableRandom(seed).nextBytes(b);
            return b;
          });
      qt().withFixedSeed(0x6D70726F63L).withExamples(200).forAll(lists().of(messages).ofSizeBetween(0, 20)).checkAssert(seq -> {
        try {
          for (byte[] m : seq) {
            c.sendBytes(m);
          }
          for (byte[] m : seq) {
            assertThat(c.recvBytes()).isEqualTo(m);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      c.close();
      assertThat(children.get(0).waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(children.get(0).exitValue()).isZero();
    }
  }

  @Test
  void shouldGiveEndOfStreamAfterThePeersMessagesWhenItCloses() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      spawn("send-and-close", pipe.second().handle(), "3");
      for (int i = 0; i < 3; i++) {
        assertThat(pipe.first().recv()).isEqualTo("message " + i);
      }
      assertThatThrownBy(() -> pipe.first().recv()).isInstanceOf(EOFException.class)
          .hasMessage("the peer closed its end of the pipe");
    }
  }

  @Test
  void shouldGiveEndOfStreamWhenThePeerDies() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      Process p = spawn("send-and-halt", pipe.second().handle());
      assertThat(pipe.first().recv()).isEqualTo("before dying");
      assertThatThrownBy(() -> pipe.first().recv()).isInstanceOf(EOFException.class);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(3);
    }
  }

  @Test
  void shouldGiveEndOfStreamWithinASecondOfAKill() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      Process p = spawn("wait", pipe.second().handle());
      assertThat(pipe.first().recv()).isEqualTo("ready");
      long killed = System.nanoTime();
      p.destroyForcibly();
      assertThatThrownBy(() -> pipe.first().recv()).isInstanceOf(EOFException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void shouldNotLetAThirdProcessConnect() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      String handle = pipe.second().handle();
      spawn("echo", handle);
      pipe.first().send("ping");
      assertThat(pipe.first().recv()).isEqualTo("ping"); // the rightful peer is attached
      Process third = spawn("attach", handle);
      String out = new String(third.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(third.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(out).startsWith("REFUSED the peer of pipe end 1 is gone: nobody accepts at");
      assertThat(pipe.first().poll(Duration.ofMillis(100))).isFalse(); // nothing from the intruder
      pipe.first().send("still ours");
      assertThat(pipe.first().recv()).isEqualTo("still ours");
    }
  }

  @Test
  void shouldReattachASerializedEndInAnotherJvm() throws Exception {
    try (Pipe pipe = Pipe.open()) {
      byte[] bytes = JdkCodec.create().encode(pipe.second());
      Process p = spawn("serialized");
      p.getOutputStream().write((Base64.getEncoder().encodeToString(bytes) + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
      assertThat(pipe.first().recv()).isEqualTo("hello from " + p.pid());
      pipe.first().send(List.of("round", "trip"));
      assertThat(pipe.first().recv()).isEqualTo(List.of("round", "trip"));
      assertThatThrownBy(() -> pipe.first().recv()).isInstanceOf(EOFException.class);
    }
  }
}
