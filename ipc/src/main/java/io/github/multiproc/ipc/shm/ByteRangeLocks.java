package io.github.multiproc.ipc.shm;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Exclusive locks on single bytes of a file, held by this object (not by the thread) and
 * released by the kernel when the process dies. Implementations: {@link OfdByteRangeLocks}
 * (Linux open-file-description locks through the FFM API: each instance has its own file
 * description, so two instances conflict even inside one process) and
 * {@link ChannelByteRangeLocks} (other systems: {@code FileChannel.tryLock}).
 */
interface ByteRangeLocks extends AutoCloseable {

  /** Tries to lock byte {@code index}; never blocks. */
  boolean tryLock(long index);

  /** Unlocks byte {@code index}, which this object holds. */
  void unlock(long index);

  /** Closes the file, releasing every lock this object holds. */
  @Override
  void close();

  static ByteRangeLocks open(Path file) throws IOException {
    return OfdByteRangeLocks.isSupported() ? OfdByteRangeLocks.open(file) : ChannelByteRangeLocks.open(file);
  }
}
