package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.internal.protocol.Codecs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The detached trainer JVM's main: started by {@link AotCache#train} with the workers' class path,
 * it waits for the user's program to exit (or {@link AotTrainerLaunch#TRAINER_DELAY_MILLIS}), takes the
 * key's lock, and runs {@link AotTrainingRun#train}. Its output goes to the cache's log.
 *
 * <pre>
 * java ... AotTrainerMain &lt;cache file&gt; &lt;deadline ms&gt; &lt;parent pid&gt; &lt;java&gt; &lt;codec class&gt;
 *      &lt;working directory or ""&gt; &lt;class path&gt; &lt;training class path&gt; [worker JVM args...]
 * </pre>
 */
public final class AotTrainerMain {

  private AotTrainerMain() {}

  /**
   * Trains one cache.
   *
   * @param args see the class comment
   * @throws IOException if the lock file cannot be created
   */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    Duration deadline = Duration.ofMillis(Long.parseLong(args[1]));
    long parentPid = Long.parseLong(args[2]);
    WorkerCommand worker = new WorkerCommand(args[3], AotTrainingRun.classPathOf(args[6]), List.of(Arrays.copyOfRange(args, 8, args.length)),
        Map.of(), args[5].isEmpty() ? null : Path.of(args[5]), args[4]);
    AotCache cache = new AotCache(file, args[7]);
    ProcessHandle.of(parentPid).ifPresent(parent -> {
      try {
        parent.onExit().get(AotTrainerLaunch.TRAINER_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // the program runs on: train now, at the lowest priority
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Files.createDirectories(file.getParent());
    trainOnce(cache.lockFile, () -> Files.exists(file) || Files.exists(cache.failedMarker),
        () -> AotTrainingRun.train(cache, worker, Codecs.byName(worker.codecClass()), deadline));
    System.exit(0); // the deadline's timer thread must not keep this JVM
  }

  /**
   * Runs {@code train} unless another trainer holds the key's lock or the work is {@code done}
   * (checked under the lock). Only the lock's holder deletes the lock file, after training: a
   * trainer that opened the file before reaches the check after the holder released it, and one
   * that creates it anew finds the work done. (A trainer that deleted the file without holding it
   * let a third one lock a new file and train the same key at the same time.)
   *
   * @param lockFile the key's lock file
   * @param done whether the cache, or the marker of a failed training, exists
   * @param train the training
   * @return whether {@code train} ran
   * @throws IOException if the lock file cannot be created
   */
  static boolean trainOnce(Path lockFile, Supplier<Boolean> done, Runnable train) throws IOException {
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        return false; // another trainer has it; its lock file is not ours to delete
      }
      try {
        if (done.get()) {
          return false;
        }
        train.run();
        return true;
      } finally {
        AotCache.deleteQuietly(lockFile);
      }
    } catch (OverlappingFileLockException e) {
      return false; // held in this JVM
    }
  }
}
