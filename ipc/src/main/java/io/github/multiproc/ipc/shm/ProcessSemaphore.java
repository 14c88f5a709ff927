package io.github.multiproc.ipc.shm;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * A counting semaphore shared by processes (and the threads in them), whose permits go back to
 * the pool when the process holding them dies. The counterpart of Python's
 * {@code multiprocessing.BoundedSemaphore}.
 *
 * {@snippet :
 * ProcessSemaphore gpus = ProcessSemaphore.create("gpus", 2);
 * pool.map(batch -> {
 *   if (!gpus.tryAcquire(Duration.ofMinutes(1))) throw new TimeoutException("no GPU");
 *   try { return train(batch); } finally { gpus.release(); }
 * }, batches);                        // in worker JVMs: the semaphore travels as a handle
 * gpus.close();
 * gpus.unlink();
 * }
 *
 * <p><b>Mechanism.</b> Permit {@code i} is an exclusive lock on byte {@code 2^40 + i} of the
 * segment file (Linux open-file-description locks through the FFM API; {@code FileChannel}
 * locks elsewhere), so the kernel releases a dead holder's permits. A release wakes sleepers
 * through a futex in the segment. A death is not signalled: sleepers re-check every 5 ms, so a
 * permit freed by a death is taken within about 5 ms of the kernel reaping the dead holder, plus
 * scheduling delay (see {@link ProcessLock} for measured figures).
 *
 * <p><b>Who holds a permit.</b> This object, not the thread: any thread may release a permit
 * acquired through the same object, and {@link #release()} without a held permit throws
 * {@link IllegalStateException} (bounded semantics; the permit count never grows). Two objects
 * for the same name, in one process or in two, compete like two processes.
 *
 * <p><b>Memory consistency.</b> Actions before {@code release()} happen-before actions after an
 * acquire, in any process, that obtains the released permit (the kernel lock and the futex
 * sequence order them).
 *
 * <p>Serializes as a handle (its name); the receiver attaches and should {@link #close()} it.
 *
 * @since 0.1
 */
public final class ProcessSemaphore implements AutoCloseable, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final transient PermitFile permits;

  private ProcessSemaphore(PermitFile permits) {
    this.permits = permits;
  }

  /**
   * Creates a semaphore.
   *
   * @param name segment name (see {@link SharedMemory#create(String, long)})
   * @param permits number of permits, at least 1
   * @return the semaphore, all permits free
   */
  public static ProcessSemaphore create(String name, int permits) {
    return new ProcessSemaphore(PermitFile.create(name, permits));
  }

  /**
   * Creates a semaphore in a new segment with a fresh unique name.
   *
   * @param permits number of permits, at least 1
   * @return a semaphore with {@code permits} permits, all free
   */
  public static ProcessSemaphore create(int permits) {
    return create(SharedMemory.uniqueName("sem"), permits);
  }

  /**
   * Attaches to a semaphore created by this or another process.
   *
   * @param name the semaphore's {@link #name()}
   * @return the existing semaphore named {@code name}
   */
  public static ProcessSemaphore attach(String name) {
    return new ProcessSemaphore(PermitFile.attach(name));
  }

  /**
   * Acquires a permit, waiting as long as it takes.
   *
   * @throws InterruptedException if interrupted while waiting (no permit acquired)
   */
  public void acquire() throws InterruptedException {
    permits.acquire(Long.MAX_VALUE, true);
  }

  /** {@return whether a permit was free and is now held} */
  public boolean tryAcquire() {
    return permits.tryAcquire();
  }

  /**
   * Acquires a permit, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return false if none became free in time
   * @throws InterruptedException if interrupted while waiting (no permit acquired)
   */
  public boolean tryAcquire(Duration timeout) throws InterruptedException {
    return permits.acquire(timeout.toNanos(), true);
  }

  /**
   * Releases a permit held through this object.
   *
   * @throws IllegalStateException if this object holds none
   */
  public void release() {
    permits.release();
  }

  /** {@return the number of permits this object holds} */
  public int heldPermits() {
    return permits.heldHere();
  }

  /** {@return the total number of permits} */
  public int permits() {
    return permits.permits();
  }

  /** {@return the semaphore's name, for {@link #attach}} */
  public String name() {
    return permits.name();
  }

  /** Releases every permit this object holds and unmaps the segment. */
  @Override
  public void close() {
    permits.close();
  }

  /** Removes the semaphore's name; attached objects keep working. */
  public void unlink() {
    permits.unlink();
  }

  @Override
  public String toString() {
    return "ProcessSemaphore[" + name() + ", permits=" + permits() + "]";
  }

  /**
   * Replaces this semaphore by a handle holding only its name, so that the receiving JVM attaches
   * to the same segment instead of copying its state.
   *
   * @return the handle that travels in its place
   */
  @Serial
  private Object writeReplace() {
    return new Handle(name());
  }

  /**
   * Rejects a stream that holds this class's own form: a genuine one only ever holds a handle.
   *
   * @param in the stream being read
   * @throws InvalidObjectException always
   */
  @Serial
  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("ProcessSemaphore travels as a Handle");
  }

  private record Handle(String name) implements Serializable {
    @Serial
    private Object readResolve() {
      return attach(name);
    }
  }
}
