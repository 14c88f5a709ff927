package io.github.multiproc.processpool.plain;

import io.github.multiproc.Task;
import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.WorkerOutput;
import java.util.List;

/**
 * A parent JVM for {@code LargePayloadIT}: starts a one-worker pool, prints {@code pids=<parent>,<worker>}
 * and sends 32 MiB arrays to the worker and back through shared memory until the test kills it with
 * {@code SIGKILL}, so that it dies with segments of its own and of its worker in {@code /dev/shm}.
 */
public final class LargePayloadHolder {

  private LargePayloadHolder() {}

  /**
   * Runs the parent.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).aotCache(false).build();
    System.out.println("pids=" + ProcessHandle.current().pid() + "," + pool.workerPids().getFirst());
    System.out.flush();
    Task<byte[], byte[]> reversed = b -> {
      byte[] out = new byte[b.length];
      for (int i = 0; i < b.length; i++) {
        out[i] = b[b.length - 1 - i];
      }
      return out;
    };
    byte[] payload = new byte[32 << 20];
    while (true) {
      pool.map(reversed, List.of(payload));
    }
  }
}
