package io.github.multiproc.processpool.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.processpool.ProcessPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The manager's JVM is killed (SIGKILL) while workers call it: every call, in flight or new, in a
 * worker or in the owner, fails with {@link ManagerGoneException} naming the manager; nothing
 * hangs (the test's timeout is the proof).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ManagerDeathIT {

  @Test
  void shouldFailEveryCallAtOnceWhenTheManagerIsKilled() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(2).aotCache(false).build();
        Manager manager = Manager.builder().name("doomed").start()) {
      SharedCounter calls = manager.counter("calls");
      ConcurrentMap<String, Integer> map = manager.map("m");
      map.put("a", 1);
      CompletableFuture<List<String>> callers = CompletableFuture.supplyAsync(() -> pool.map(i -> {
        try {
          while (true) {
            calls.incrementAndGet(); // until the manager dies under it
          }
        } catch (ManagerGoneException e) {
          return e.getMessage();
        }
      }, List.of(1, 2)));
      await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() > 200); // both workers are calling

      ProcessHandle process = ProcessHandle.of(manager.pid()).orElseThrow();
      process.destroyForcibly();

      List<String> messages = callers.get(60, TimeUnit.SECONDS);
      assertThat(messages).hasSize(2).allSatisfy(m -> assertThat(m)
          .contains("manager 'doomed' (pid " + manager.pid() + ") is gone")
          .contains("every call on its proxies fails from now on"));
      assertThatThrownBy(() -> map.get("a"))
          .isInstanceOf(ManagerGoneException.class)
          .hasMessageContaining("manager 'doomed'");
      assertThatThrownBy(() -> manager.counter("new"))
          .isInstanceOf(ManagerGoneException.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> !manager.isAlive());
    }
  }
}
