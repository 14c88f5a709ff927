package io.github.multiproc.processpool.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pipes of a pool's first workers, made with one {@code mkfifo}: each worker its own private pair. */
class WorkerPipesTest {

  @Test
  void shouldMakeAPrivatePairOfFifosPerWorkerAndLeaveNothingOnceClosed() throws Exception {
    List<WorkerPipes> pipes = WorkerPipes.createAll(3);
    Set<Path> dirs = new HashSet<>();
    try {
      assertThat(pipes).hasSize(3);
      for (WorkerPipes p : pipes) {
        Path dir = p.directory();
        dirs.add(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String name : List.of(Protocol.TO_WORKER, Protocol.TO_PARENT)) {
          Path fifo = dir.resolve(name);
          assertThat(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther())
              .as("%s is a FIFO", fifo).isTrue();
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo, LinkOption.NOFOLLOW_LINKS)))
              .isEqualTo("rw-------");
        }
      }
      assertThat(dirs).as("one directory per worker").hasSize(3);
    } finally {
      pipes.forEach(WorkerPipes::close);
    }
    for (Path dir : dirs) {
      assertThat(dir).doesNotExist();
    }
  }
}
