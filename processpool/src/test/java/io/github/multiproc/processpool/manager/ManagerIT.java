package io.github.multiproc.processpool.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.ipc.Connection;
import io.github.multiproc.ipc.Pipe;
import io.github.multiproc.ipc.codec.NotSerializableValueException;
import io.github.multiproc.processpool.JvmProcess;
import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.WorkerOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A manager with worker JVMs: sharing, typed proxies, failures at the caller, batches, the door. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManagerIT {

  private static Manager manager;
  private static ProcessPool pool;

  @BeforeAll
  static void start() {
    manager = Manager.builder().name("it").output(WorkerOutput.INHERIT).start();
    manager.register(Inventory.class, InventoryImpl::new);
    manager.register(Gate.class, LatchGate::new);
    pool = ProcessPool.builder().workers(2).aotCache(false).build();
  }

  @AfterAll
  static void stop() {
    pool.close();
    manager.close();
  }

  @Test
  void shouldShareAMapFilledByWorkersWithTheParent() {
    ConcurrentMap<String, Integer> lengths = manager.map("lengths");
    List<String> words = IntStream.range(0, 200).mapToObj(i -> "word" + i).toList();
    // put's null for every word: chunks of null results only (ProcessPoolIT pins them too)
    assertThat(pool.map(w -> lengths.put(w, w.length()), words)).hasSize(200).containsOnlyNulls();
    assertThat(lengths).hasSize(200).containsEntry("word7", 5).containsEntry("word150", 7);
    assertThat(manager.<String, Integer>map("lengths").get("word42")).isEqualTo(6); // same name, same map
  }

  @Test
  void shouldRunEveryMethodOfARegisteredInterfaceAtomicallyFromTwoWorkers() {
    Inventory stock = manager.create(Inventory.class, "atomic-stock");
    pool.map(w -> {
      for (int i = 0; i < 300; i++) {
        stock.add("apple", 1);
      }
      return stock.addTwice("pear", 1); // a default method runs in the manager too
    }, List.of(1, 2));
    assertThat(stock.count("apple")).isEqualTo(600);
    assertThat(stock.all()).containsEntry("pear", 4);
    assertThat(stock).isEqualTo(manager.create(Inventory.class, "atomic-stock")).isInstanceOf(ManagedProxy.class);
    assertThat(stock.toString()).contains("atomic-stock", "pid " + manager.pid());
  }

  @Test
  void shouldRethrowADeclaredExceptionWithItsRemoteStackTrace() throws Exception {
    Inventory stock = manager.create(Inventory.class, "empty-stock");
    assertThatThrownBy(() -> stock.take("plum", 1))
        .isInstanceOf(Inventory.OutOfStockException.class)
        .hasMessage("out of plum")
        .satisfies(e -> {
          assertThat(e.getStackTrace()).anyMatch(f -> f.getClassName().equals(InventoryImpl.class.getName())
              && f.getMethodName().equals("take"));
          assertThat(e.getSuppressed()).singleElement().isInstanceOf(ManagerCallException.class)
              .satisfies(s -> assertThat(s.getMessage()).contains("take", "empty-stock"));
        });
  }

  @Test
  void shouldWrapAnUndeclaredCheckedExceptionWithTheRemoteOneAsCause() {
    Inventory stock = manager.create(Inventory.class, "sneaky");
    assertThatThrownBy(stock::failUndeclared)
        .isInstanceOf(ManagerCallException.class)
        .hasMessageContaining("failUndeclared on 'sneaky'")
        .cause().isInstanceOf(IOException.class).hasMessage("disk on fire")
        .satisfies(c -> assertThat(c.getStackTrace()).anyMatch(f -> f.getMethodName().equals("failUndeclared")));
  }

  @Test
  void shouldFailAtTheCallerWhenAnArgumentDoesNotSerialize() {
    ConcurrentMap<String, Object> things = manager.map("things");
    assertThatThrownBy(() -> things.put("k", new InventoryImpl.Holder(new Object())))
        .isInstanceOf(NotSerializableValueException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("lock");
    assertThat(things).doesNotContainKey("k");
  }

  @Test
  void shouldFailAtTheCallerWithClassAndPathWhenAResultDoesNotSerialize() {
    Inventory stock = manager.create(Inventory.class, "odd");
    assertThatThrownBy(stock::unserializableResult)
        .isInstanceOf(NotSerializableValueException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("lock");
    assertThat(stock.add("still", 1)).isEqualTo(1); // the manager goes on
  }

  @Test
  void shouldUseAProxyPassedThroughAPipeAndInAJvmProcessJob() throws Exception {
    SharedCounter counter = manager.counter("passed");
    try (Pipe pipe = Pipe.open()) {
      Connection child = pipe.second();
      JvmProcess<Long> p = JvmProcess.start(() -> {
        SharedCounter c = (SharedCounter) child.recv(); // arrived in a Pipe message
        return c.addAndGet(5) + counter.addAndGet(10);  // and captured in the job
      });
      pipe.first().send(counter);
      assertThat(p.result()).isEqualTo(5 + 15);
      p.join();
    }
    assertThat(counter.get()).isEqualTo(15);
  }

  @Test
  void shouldRunABatchInOneRoundTripAndStopAtItsFirstFailure() throws Exception {
    ConcurrentMap<String, Integer> scores = manager.map("batch-scores");
    ManagerBatch batch = new ManagerBatch();
    ConcurrentMap<String, Integer> m = batch.on(scores);
    for (int i = 0; i < 1000; i++) {
      m.put("k" + i, i);
    }
    m.get("k7");
    SharedCounter c = batch.on(manager.counter("batch-counter"));
    c.addAndGet(3);
    assertThat(batch.size()).isEqualTo(1002);
    List<Object> results = batch.run();
    assertThat(results).hasSize(1002);
    assertThat(results.get(1000)).isEqualTo(7);
    assertThat(results.get(1001)).isEqualTo(3L);
    assertThat(scores).hasSize(1000);

    ManagerBatch failing = new ManagerBatch();
    Inventory stock = failing.on(manager.create(Inventory.class, "batch-stock"));
    stock.add("fig", 1);
    assertThat(stock.count("fig")).isZero(); // a recorder answers zero
    stock.take("fig", 5); // recorded, not run
    stock.add("fig", 100);
    assertThatThrownBy(failing::run)
        .isInstanceOf(ManagerCallException.class)
        .hasMessageContaining("operation 2 of the batch (take")
        .hasMessageContaining("the 1 after it did not run")
        .cause().isInstanceOf(Inventory.OutOfStockException.class);
    assertThat(manager.create(Inventory.class, "batch-stock").count("fig")).isEqualTo(1);
  }

  @Test
  void shouldRunACompoundUpdateInsideTheManager() {
    List<String> seats = manager.list("seats");
    List<Boolean> won = pool.map(w -> Manager.atomically(seats, s -> {
      if (s.contains("12A")) {
        return false;
      }
      s.add("12A");
      return true;
    }), List.of(1, 2, 3, 4));
    assertThat(won).containsOnlyOnce(true);
    assertThat(seats).containsExactly("12A");
    ConcurrentMap<String, Integer> votes = manager.map("votes");
    BiFunction<Integer, Integer, Integer> sum = (BiFunction<Integer, Integer, Integer> & Serializable) Integer::sum;
    pool.map(w -> votes.merge("yes", 1, sum), IntStream.range(0, 50).boxed().toList());
    assertThat(votes.get("yes")).isEqualTo(50);
  }

  @Test
  void shouldOpenByNameAndRefuseAnotherTypeUnderTheSameName() {
    manager.map("taken");
    assertThatThrownBy(() -> manager.list("taken"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 'taken' as a")
        .hasMessageContaining("MapService");
    assertThatThrownBy(() -> manager.create(Runnable.class, "never"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never registered");
    assertThatThrownBy(() -> manager.register(InventoryImpl.class, InventoryImpl::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a class");
  }

  @Test
  void shouldEndAnInterruptedCallersWaitKeepItsInterruptAndServeTheNextCall() throws Exception {
    Gate waiting = manager.create(Gate.class, "waiting");
    Gate opener = manager.create(Gate.class, "opener");
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread caller = Thread.ofPlatform().name("gate-caller").start(() -> {
      try {
        waiting.pass();
      } catch (Throwable t) {
        thrown.set(t);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> opener.entered() == 1); // the call waits in the manager
    caller.interrupt();
    caller.join(Duration.ofSeconds(30));
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(ManagerException.class)
        .hasMessageContaining("interrupted while waiting for manager 'it'");
    assertThat(stillInterrupted).isTrue();
    opener.open();
    assertThat(waiting.entered()).isEqualTo(1); // the object is free again, through another connection
  }

  @Test
  void shouldAdmitOnlyClientsWithTheSecretAtAPrivateDoor() throws Exception {
    ManagerAddress real = ((ProxyHandler) java.lang.reflect.Proxy.getInvocationHandler(manager.counter("door")))
        .target().ref.manager();
    Path dir = Path.of(real.door()).getParent();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    byte[] wrong = new byte[ManagerAddress.SECRET_BYTES];
    new SecureRandom().nextBytes(wrong);
    ManagerAddress forged = new ManagerAddress(real.name(), real.pid(), real.door(), wrong, real.allow());
    assertThatThrownBy(() -> DoorHandshake.knock(forged)).isInstanceOf(EOFException.class);
    assertThat(DoorHandshake.knock(real)).startsWith("multiproc-pipe:");
    assertThat(real.toString()).doesNotContain(java.util.HexFormat.of().formatHex(real.secret()))
        .doesNotContain(Arrays.toString(real.secret()));
  }

  @Test
  void shouldEndItsProcessAndDeleteItsDoorOnCloseAndFailEveryLaterCall() {
    Manager own = Manager.builder().name("short-lived").start();
    ConcurrentMap<String, Integer> m = own.map("m");
    m.put("a", 1);
    ManagerAddress address = ((RemoteMap<?, ?>) m).target().ref.manager();
    ProcessHandle process = ProcessHandle.of(own.pid()).orElseThrow();
    own.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    assertThat(Path.of(address.door()).getParent()).doesNotExist();
    assertThatThrownBy(() -> m.get("a"))
        .isInstanceOf(ManagerGoneException.class)
        .hasMessageContaining("manager 'short-lived' (pid " + own.pid() + ") is gone");
    assertThat(shmFilesOf(own.pid())).isEmpty();
  }

  /** Shared-memory files named for a process (pipes' rings). */
  static List<String> shmFilesOf(long pid) {
    Path shm = Path.of("/dev/shm");
    if (!Files.isDirectory(shm)) {
      return List.of();
    }
    try (var files = Files.list(shm)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.contains("-" + pid + "-"))
          .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void shouldKeepEntriesOfEveryTypeTheMapAllows() {
    ConcurrentMap<String, Object> m = manager.map("types");
    m.putAll(Map.of("int", 1, "long", 2L, "double", 3.0, "string", "s", "record", new Item("pen", 2),
        "list", List.of(1, 2)));
    assertThat(m).containsEntry("record", new Item("pen", 2)).containsEntry("list", List.of(1, 2)).hasSize(6);
  }

  /** A user's record: allowed by every decode rule. */
  record Item(String name, int count) implements Serializable {}
}
