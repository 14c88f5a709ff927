package io.github.multiproc.ipc.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Atomics, locks and the orphan sweep across real JVMs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedMemoryIT {

  @Test
  void shouldSumGetAndAddFromSeveralProcessesExactly() throws Exception {
    try (SharedMemory memory = SharedMemory.create(8)) {
      List<Process> children = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          children.add(TestJvms.start("add", memory.name(), "50000"));
        }
        SharedLong counter = memory.longAt(0);
        for (int i = 0; i < 50_000; i++) {
          counter.getAndAdd(1);
        }
        for (Process child : children) {
          assertThat(child.waitFor()).isZero();
        }
        assertThat(counter.get()).isEqualTo(200_000);
      } finally {
        TestJvms.destroy(children);
        memory.unlink();
      }
    }
  }

  @Test
  void shouldExcludeProcessesWithProcessLock() throws Exception {
    try (ProcessLock lock = ProcessLock.create(); SharedMemory memory = SharedMemory.create(8)) {
      List<Process> children = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          children.add(TestJvms.start("locked-add", lock.name(), memory.name(), "3000"));
        }
        for (Process child : children) {
          assertThat(child.waitFor()).isZero();
        }
        assertThat(memory.longAt(0).get()).isEqualTo(6000);
      } finally {
        TestJvms.destroy(children);
        lock.unlink();
        memory.unlink();
      }
    }
  }

  @Test
  void shouldReleaseTheLockOfAKilledHolder() throws Exception {
    try (ProcessLock lock = ProcessLock.create()) {
      Process holder = TestJvms.start("hold-lock", lock.name());
      try {
        assertThat(SharedQueueIT.readUntil(holder, "locked")).containsExactly("locked");
        assertThat(lock.tryLock(Duration.ofMillis(50))).isFalse();
        holder.destroyForcibly();
        assertThat(lock.tryLock(Duration.ofSeconds(10))).isTrue();
        lock.unlock();
      } finally {
        TestJvms.destroy(List.of(holder));
        lock.unlink();
      }
    }
  }

  @Test
  void shouldLeaveNoSegmentFilesAfterTheOwnerIsKilledAndSwept() throws Exception {
    String prefix = "leaktest-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Process owner = TestJvms.start("create-and-hang", prefix);
    try {
      assertThat(SharedQueueIT.readUntil(owner, "ready")).containsExactly("ready");
      assertThat(filesStartingWith(prefix)).hasSize(4);
      owner.destroyForcibly();
      owner.waitFor();
      assertThat(SegmentSweeper.sweepOwnedBy(owner.pid())).hasSize(4);
      assertThat(filesStartingWith(prefix)).isEmpty();
    } finally {
      TestJvms.destroy(List.of(owner));
    }
  }

  @Test
  void shouldReattachObjectsSerializedIntoAnotherJvm() throws Exception {
    SharedQueue<Long> queue = SharedQueue.builder(MessageCodec.longs()).capacity(4).create();
    try (SharedMemory memory = SharedMemory.create(8); ProcessLock lock = ProcessLock.create()) {
      try {
        memory.longAt(0).set(10);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
          out.writeObject(new Object[] {queue, memory.longAt(0), lock});
        }
        Process child = TestJvms.start("use-handles", java.util.Base64.getEncoder().encodeToString(bytes.toByteArray()));
        try {
          assertThat(SharedQueueIT.readUntil(child, "done")).containsExactly("done");
          assertThat(child.waitFor()).isZero();
        } finally {
          TestJvms.destroy(List.of(child));
        }
        assertThat(queue.take()).isEqualTo(15L);
        assertThat(memory.longAt(0).get()).isEqualTo(15L);
        assertThat(lock.tryLock()).isTrue(); // the child released it
        lock.unlock();
      } finally {
        memory.unlink();
        lock.unlink();
      }
    } finally {
      queue.unlink();
      queue.close();
    }
  }

  private static List<Path> filesStartingWith(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(ShmDirectory.directory())) {
      return files.filter(f -> f.getFileName().toString().startsWith(ShmDirectory.PREFIX + prefix)).toList();
    }
  }
}
