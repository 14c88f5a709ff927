package io.github.multiproc.processpool.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One trainer per cache key: {@link AotTrainerMain.trainOnce}. */
class AotCacheLockTest {

  @TempDir
  Path dir;

  @Test
  void shouldNeitherTrainNorDeleteTheLockWhenAnotherTrainerHoldsIt() throws IOException {
    Path lockFile = dir.resolve("worker-k.aot.lock");
    AtomicInteger trained = new AtomicInteger();
    try (FileChannel holder = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = holder.lock()) {
      assertThat(AotTrainerMain.trainOnce(lockFile, () -> false, trained::incrementAndGet)).isFalse();
      assertThat(lockFile).as("the holder's lock file stays, so no third trainer locks a new one").exists();
    }
    assertThat(trained).hasValue(0);
  }

  @Test
  void shouldTrainUnderTheLockOnlyWhenTheWorkIsNotDoneAndThenDeleteTheLock() throws IOException {
    Path lockFile = dir.resolve("worker-k.aot.lock");
    AtomicInteger trained = new AtomicInteger();
    assertThat(AotTrainerMain.trainOnce(lockFile, () -> true, trained::incrementAndGet)).isFalse();
    assertThat(AotTrainerMain.trainOnce(lockFile, () -> false, () -> {
      assertThat(lockFile).exists();
      trained.incrementAndGet();
    })).isTrue();
    assertThat(trained).hasValue(1);
    assertThat(Files.exists(lockFile)).isFalse();
  }
}
