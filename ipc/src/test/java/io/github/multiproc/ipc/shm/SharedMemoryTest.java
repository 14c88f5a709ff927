package io.github.multiproc.ipc.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedMemoryTest {

  @Test
  void shouldShareBytesBetweenCreatorAndAttacher() {
    try (SharedMemory created = SharedMemory.create(4096); SharedMemory attached = SharedMemory.attach(created.name())) {
      created.segment().set(ValueLayout.JAVA_LONG, 8, 42L);
      assertThat(attached.segment().get(ValueLayout.JAVA_LONG, 8)).isEqualTo(42L);
      assertThat(attached.byteSize()).isEqualTo(4096);
      assertThat(attached.ownerPid()).isEqualTo(ProcessHandle.current().pid());
      created.unlink();
      assertThat(created.path()).doesNotExist();
    }
  }

  @Test
  void shouldCreateFilesReadableOnlyByTheOwner() throws IOException {
    try (SharedMemory memory = SharedMemory.create(64)) {
      try {
        assertThat(memory.path().getFileName().toString()).startsWith("multiproc-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(memory.path()))).isEqualTo("rw-------");
      } finally {
        memory.unlink();
      }
    }
  }

  @Test
  void shouldMapSegmentsLargerThanTwoGibibytes() {
    long size = (3L << 30) + 8;
    try (SharedMemory memory = SharedMemory.create(size)) {
      try (SharedMemory attached = SharedMemory.attach(memory.name())) {
        memory.segment().set(ValueLayout.JAVA_LONG, size - 8, 7L);
        assertThat(attached.segment().get(ValueLayout.JAVA_LONG, size - 8)).isEqualTo(7L);
        assertThat(attached.byteSize()).isEqualTo(size);
      } finally {
        memory.unlink();
      }
    }
  }

  @Test
  void shouldUnmapAtOnceOnClose() {
    SharedMemory memory = SharedMemory.create(64);
    memory.unlink();
    memory.close();
    memory.close(); // idempotent
    assertThat(memory.isClosed()).isTrue();
    assertThatThrownBy(() -> memory.segment().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldRejectBadNamesSizesAndDuplicates() {
    assertThatThrownBy(() -> SharedMemory.create("../etc", 8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name=../etc");
    assertThatThrownBy(() -> SharedMemory.create(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes=0");
    assertThatThrownBy(() -> SharedMemory.attach("no-such-segment-" + System.nanoTime()))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("no shared memory segment named");
    try (SharedMemory memory = SharedMemory.create(8)) {
      try {
        assertThatThrownBy(() -> SharedMemory.create(memory.name(), 8)).isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("already exists");
      } finally {
        memory.unlink();
      }
    }
  }

  @Test
  void shouldTravelAsHandleAndReattach() throws Exception {
    try (SharedMemory memory = SharedMemory.create(64)) {
      try {
        SharedLong counter = memory.longAt(8);
        counter.set(5);
        try (SharedLong copy = roundTrip(counter); SharedMemory memoryCopy = roundTrip(memory)) {
          assertThat(copy.getAndAdd(3)).isEqualTo(5);
          assertThat(counter.get()).isEqualTo(8);
          assertThat(memoryCopy.segment().get(ValueLayout.JAVA_LONG, 8)).isEqualTo(8L);
        }
        assertThat(counter.get()).isEqualTo(8); // closing the copy left our mapping alone
      } finally {
        memory.unlink();
      }
    }
  }

  @Test
  void shouldOfferAtomicOperationsOnEveryView() throws Exception {
    try (SharedMemory memory = SharedMemory.create(1024)) {
      try {
        SharedInt i = memory.intAt(0);
        assertThat(i.compareAndSet(0, 3)).isTrue();
        assertThat(i.compareAndSet(0, 4)).isFalse();
        assertThat(i.getAndAdd(2)).isEqualTo(3);
        assertThat(i.get()).isEqualTo(5);
        SharedLongArray longs = memory.longArray(8, 4);
        longs.set(3, 9);
        assertThat(longs.getAndAdd(3, 1)).isEqualTo(9);
        assertThat(longs.get(3)).isEqualTo(10);
        assertThatThrownBy(() -> longs.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
        SharedIntArray ints = memory.intArray(40, 2);
        assertThat(ints.compareAndSet(1, 0, 7)).isTrue();
        SharedDoubleArray doubles = memory.doubleArray(48, 2);
        doubles.getAndAdd(1, 0.5);
        doubles.getAndAdd(1, 0.25);
        assertThat(doubles.get(1)).isEqualTo(0.75);
        try (SharedDoubleArray copy = roundTrip(doubles)) {
          assertThat(copy.get(1)).isEqualTo(0.75);
          assertThat(copy.length()).isEqualTo(2);
        }
        assertThatThrownBy(() -> memory.longAt(4)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("offset=4");
        assertThatThrownBy(() -> memory.longArray(1000, 4)).isInstanceOf(IndexOutOfBoundsException.class);
      } finally {
        memory.unlink();
      }
    }
  }

  @Test
  void shouldSumConcurrentGetAndAddExactly() throws Exception {
    try (SharedMemory memory = SharedMemory.create(8)) {
      try {
        SharedLong counter = memory.longAt(0);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
          threads[t] = Thread.ofPlatform().name("multiproc-test-adder-" + t).start(() -> {
            for (int k = 0; k < 100_000; k++) {
              counter.getAndAdd(1);
            }
          });
        }
        for (Thread thread : threads) {
          thread.join();
        }
        assertThat(counter.get()).isEqualTo(400_000);
      } finally {
        memory.unlink();
      }
    }
  }

  @Test
  void shouldSweepSegmentsOfDeadOwnersOnly() throws Exception {
    long deadPid = TestJvms.deadPid();
    SharedMemory mine = SharedMemory.create(8);
    SharedMemory orphan = SharedMemory.create(8);
    try {
      // Rewrite the orphan's owner as a process that has exited.
      try (var channel = java.nio.channels.FileChannel.open(orphan.path(), java.nio.file.StandardOpenOption.WRITE)) {
        var pid = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder()).putLong(deadPid).putLong(0).flip();
        channel.write(pid, SegmentDescriptor.OWNER_PID_OFFSET);
      }
      assertThat(SegmentSweeper.sweepOwnedBy(ProcessHandle.current().pid())).isEmpty(); // alive: untouched
      assertThat(SegmentSweeper.sweep()).contains(orphan.name()).doesNotContain(mine.name());
      assertThat(orphan.path()).doesNotExist();
      assertThat(mine.path()).exists();
    } finally {
      mine.unlink();
      orphan.unlink();
      mine.close();
      orphan.close();
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
