package io.github.multiproc.ipc.shm;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * Child-JVM entry point of the cross-process tests. Commands print their progress on stdout,
 * one token per line; "hang" commands then block reading stdin until killed or stdin closes.
 */
public final class ShmTestMain {

  private ShmTestMain() {}

  public static void main(String[] args) throws Exception {
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16);
    switch (args[0]) {
      case "produce" -> {
        SharedQueue<Long> queue = SharedQueue.attach(args[1], MessageCodec.longs());
        long id = Long.parseLong(args[2]);
        int count = Integer.parseInt(args[3]);
        for (int i = 0; i < count; i++) {
          queue.put(id << 32 | i);
        }
        queue.close();
        println(out, "done");
      }
      case "produce-forever" -> {
        SharedQueue<Long> queue = SharedQueue.attach(args[1], MessageCodec.longs());
        long id = Long.parseLong(args[2]);
        println(out, "started");
        for (long i = 0; ; i++) {
          queue.put(id << 32 | i);
        }
      }
      case "consume" -> {
        SharedQueue<Long> queue = SharedQueue.attach(args[1], MessageCodec.longs());
        try {
          while (true) {
            out.write(Long.toString(queue.take()));
            out.newLine();
          }
        } catch (QueueClosedException endOfStream) {
          println(out, "eos");
        }
        queue.close();
      }
      case "consume-forever" -> {
        SharedQueue<Long> queue = SharedQueue.attach(args[1], MessageCodec.longs());
        println(out, "started");
        while (true) {
          println(out, Long.toString(queue.take())); // flushed: the parent knows what was delivered
        }
      }
      case "die-mid-put" -> {
        SharedQueue<Long> queue = SharedQueue.attach(args[1], MessageCodec.longs());
        queue.claimForWrite(false);
        Runtime.getRuntime().halt(3); // killed between claim and commit
      }
      case "die-mid-take" -> {
        SharedQueue<Long> queue = SharedQueue.attach(args[1], MessageCodec.longs());
        queue.claimForRead(false);
        Runtime.getRuntime().halt(3); // killed between claim and release
      }
      case "add" -> {
        try (SharedMemory memory = SharedMemory.attach(args[1])) {
          SharedLong counter = memory.longAt(0);
          int times = Integer.parseInt(args[2]);
          for (int i = 0; i < times; i++) {
            counter.getAndAdd(1);
          }
        }
        println(out, "done");
      }
      case "locked-add" -> {
        try (ProcessLock lock = ProcessLock.attach(args[1]); SharedMemory memory = SharedMemory.attach(args[2])) {
          int times = Integer.parseInt(args[3]);
          var data = memory.segment();
          for (int i = 0; i < times; i++) {
            lock.lock();
            try { // deliberately non-atomic read-modify-write: only the lock makes it exact
              long v = data.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
              data.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, v + 1);
            } finally {
              lock.unlock();
            }
          }
        }
        println(out, "done");
      }
      case "hold-lock" -> {
        ProcessLock lock = ProcessLock.attach(args[1]);
        lock.lock();
        println(out, "locked");
        hang();
      }
      case "use-handles" -> { // objects serialized by the parent, as a task would carry them
        byte[] bytes = java.util.Base64.getDecoder().decode(args[1]);
        Object[] objects;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
          objects = (Object[]) in.readObject();
        }
        @SuppressWarnings("unchecked")
        SharedQueue<Long> queue = (SharedQueue<Long>) objects[0];
        try (SharedLong counter = (SharedLong) objects[1]; ProcessLock lock = (ProcessLock) objects[2]) {
          lock.lock();
          try {
            counter.getAndAdd(5);
          } finally {
            lock.unlock();
          }
          queue.put(counter.get());
        }
        queue.close();
        println(out, "done");
      }
      case "create-and-hang" -> {
        String prefix = args[1];
        SharedMemory.create(prefix + "-seg", 1 << 20);
        SharedQueue.builder(MessageCodec.longs()).name(prefix + "-queue").capacity(64).create();
        ProcessLock.create(prefix + "-lock").lock();
        ProcessSemaphore.create(prefix + "-sem", 2).acquire();
        println(out, "ready");
        hang();
      }
      default -> throw new IllegalArgumentException("unknown command: " + args[0]);
    }
    out.flush();
  }

  private static void println(BufferedWriter out, String line) throws IOException {
    out.write(line);
    out.newLine();
    out.flush();
  }

  private static void hang() throws IOException {
    while (System.in.read() >= 0) {
      // until killed, or stdin closes
    }
  }
}
