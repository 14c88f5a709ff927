package io.github.multiproc.processpool.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.multiproc.ipc.codec.JdkCodec;
import io.github.multiproc.processpool.WorkerOutput;
import io.github.multiproc.processpool.internal.launch.ClassPathResolver;
import io.github.multiproc.processpool.internal.launch.JavaExecutable;
import io.github.multiproc.processpool.internal.protocol.WorkerMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pool starts its first workers before it sets itself up ({@link Launcher}), so a worker may
 * say HELLO before the pool attaches its threads to it. Dropping the pipes' hold at HELLO must
 * then wait for the parent's writer to open {@code to-worker}: a FIFO with no writer left reads
 * end of stream, and the worker would exit as if its parent had died.
 */
class LateAttachIT {

  private static final WorkerProcess.Listener IGNORE = new WorkerProcess.Listener() {
    @Override
    public void onMessage(WorkerProcess worker, WorkerMessage message) {}

    @Override
    public void onDeath(WorkerProcess worker, WorkerDeath death) {}
  };

  @Test
  @Timeout(120)
  void shouldKeepAWorkerThatSaidHelloBeforeItWasAttached() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "reads thread names from /proc (Linux)");
    WorkerCommand command = new WorkerCommand(JavaExecutable.current(), ClassPathResolver.infer(List.of()),
        List.of(), Map.of(), null, JdkCodec.class.getName());
    Spawned spawned = Spawned.start(command, List.of());
    try {
      long pid = spawned.process().pid();
      // the worker starts its parent watch right after HELLO is flushed: HELLO waits in the pipe
      await().atMost(Duration.ofSeconds(60)).until(() -> threadNames(pid).anyMatch(n -> n.startsWith("multiproc-pdeat")));
      WorkerProcess worker = WorkerProcess.attach(spawned, IGNORE, new OutputSink(WorkerOutput.DISCARD));
      worker.ready().get(60, TimeUnit.SECONDS);
      worker.shutdown();
      assertThat(worker.awaitExit(Duration.ofSeconds(60))).isTrue();
      assertThat(worker.exitCode()).as("exit code: 0 after SHUTDOWN, 70 if it read end of stream first").hasValue(0);
    } finally {
      spawned.kill();
      spawned.process().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Stream<String> threadNames(long pid) throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks.map(t -> {
        try {
          return Files.readString(t.resolve("comm")).trim();
        } catch (IOException e) {
          return ""; // the thread ended meanwhile
        }
      }).toList().stream();
    }
  }
}
