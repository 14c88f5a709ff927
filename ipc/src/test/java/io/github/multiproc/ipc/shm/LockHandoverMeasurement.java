package io.github.multiproc.ipc.shm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how long a {@link ProcessLock} takes to pass to a waiter after its holder process is
 * killed with SIGKILL: from the kill to the waiter's {@code lock()} returning, and, of that, the
 * part after the kernel reaped the holder. A measurement to run by hand, not a test:
 *
 * <pre>
 * bin/mvn25 -q -B -ntp test-compile -pl ipc -am
 * java --enable-native-access=ALL-UNNAMED -cp ipc/target/test-classes:ipc/target/classes:core/target/classes:$SLF4J \
 *     io.github.multiproc.ipc.shm.LockHandoverMeasurement [rounds]
 * </pre>
 */
public final class LockHandoverMeasurement {

  private LockHandoverMeasurement() {}

  /**
   * Runs the rounds and prints the percentiles.
   *
   * @param args the number of rounds (default 40)
   * @throws Exception if a round fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    double[] total = new double[rounds];
    double[] afterExit = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      try (ProcessLock lock = ProcessLock.create()) {
        Process holder = TestJvms.start("hold-lock", lock.name());
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        if (!"locked".equals(out.readLine())) {
          throw new IllegalStateException("holder did not lock");
        }
        AtomicLong acquired = new AtomicLong();
        Thread waiter = Thread.ofPlatform().name("multiproc-measure-waiter").start(() -> {
          lock.lock();
          acquired.set(System.nanoTime());
          lock.unlock();
        });
        Thread.sleep(60); // let the waiter spin out and go to sleep: the case being measured
        long killed = System.nanoTime();
        holder.destroyForcibly();
        holder.onExit().join();
        long exited = System.nanoTime();
        waiter.join();
        total[r] = (acquired.get() - killed) / 1e6;
        afterExit[r] = Math.max(0, acquired.get() - exited) / 1e6;
        lock.unlink();
      }
    }
    System.out.println("kill -> lock taken (ms):  " + percentiles(total));
    System.out.println("reaped -> lock taken (ms): " + percentiles(afterExit));
  }

  private static String percentiles(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, "p50 %.1f  p90 %.1f  max %.1f  (n=%d)", s[s.length / 2],
        s[(int) (s.length * 0.9)], s[s.length - 1], s.length);
  }
}
