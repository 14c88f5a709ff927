package io.github.multiproc.ipc.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link ByteRangeLocks} with {@link FileChannel#tryLock}, for systems without OFD locks. Such
 * locks belong to the whole process, so the JDK refuses a second overlapping lock from any
 * channel of the same JVM ({@link OverlappingFileLockException}), which we report as "held".
 * Caveat of the platform: closing any channel of a file may drop every lock this JVM holds on it,
 * so keep one instance per lock name per JVM there.
 */
final class ChannelByteRangeLocks implements ByteRangeLocks {

  private final FileChannel channel;
  private final Map<Long, FileLock> held = new HashMap<>();

  private ChannelByteRangeLocks(FileChannel channel) {
    this.channel = channel;
  }

  static ChannelByteRangeLocks open(Path file) throws IOException {
    return new ChannelByteRangeLocks(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  @Override
  public synchronized boolean tryLock(long index) {
    boolean interrupted = Thread.interrupted(); // an interrupt would close the channel
    try {
      FileLock lock = channel.tryLock(OfdByteRangeLocks.BASE + index, 1, false);
      if (lock == null) {
        return false;
      }
      held.put(index, lock);
      return true;
    } catch (OverlappingFileLockException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("tryLock failed", e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt(); // restore the caller's interrupt status
      }
    }
  }

  @Override
  public synchronized void unlock(long index) {
    FileLock lock = held.remove(index);
    if (lock != null) {
      try {
        lock.release();
      } catch (IOException e) {
        throw new UncheckedIOException("unlock failed", e);
      }
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("close failed", e);
    }
  }
}
