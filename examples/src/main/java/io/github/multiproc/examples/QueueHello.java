package io.github.multiproc.examples;

import io.github.multiproc.ipc.shm.MessageCodec;
import io.github.multiproc.ipc.shm.SharedQueue;
import io.github.multiproc.processpool.JvmProcess;

/**
 * The seed's IPC demo: a worker process puts "hello" on a queue and the parent reads it.
 *
 * <pre>{@code
 * def queue_worker(queue): queue.put("hello")
 * queue = multiprocessing.Queue()
 * p = multiprocessing.Process(target=queue_worker, args=(queue,)); p.start()
 * print(queue.get()); p.join()
 * }</pre>
 *
 * <p>The {@link SharedQueue} is a ring in shared memory ({@code /dev/shm}): the message goes
 * from the worker to the parent directly, not through a relay. The queue travels to the worker
 * inside the job as a handle and re-attaches there.
 */
public final class QueueHello {

  private QueueHello() {}

  /**
   * Runs the demo.
   *
   * @param args unused
   * @throws Exception if the demo fails
   */
  public static void main(String[] args) throws Exception {
    run();
  }

  static void run() throws Exception {
    SharedQueue<String> queue = SharedQueue.builder(MessageCodec.utf8()).create();
    try {
      JvmProcess<Long> p = JvmProcess.start(() -> {
        queue.put("hello");
        queue.close();
        return ProcessHandle.current().pid();
      });
      System.out.println("  parent took from the queue: " + queue.take() + "   (put by worker pid " + p.result() + ")");
      p.join();
    } finally {
      queue.shutdown();
      queue.close();
      queue.unlink();
    }
    System.out.println("  Main PID: " + ProcessHandle.current().pid());
  }
}
