package io.github.multiproc.processpool.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.multiproc.processpool.ProcessPool;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The map and list contracts through proxies, from two worker JVMs at once, each on a collection of
 * its own (the cases need an empty collection and predictable answers), the same manager serving
 * both.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedCollectionsContractIT {

  @Test
  void shouldKeepTheMapContractFromTwoWorkersAtOnce() {
    try (Manager manager = Manager.start(); ProcessPool pool = ProcessPool.builder().workers(2).aotCache(false).build()) {
      List<ConcurrentMap<String, Integer>> maps = List.of(manager.map("m0"), manager.map("m1"));
      List<Checks> results = pool.map(MapContract::check, maps);
      assertThat(results).hasSize(2).allSatisfy(c -> {
        assertThat(c.failures()).isEmpty();
        assertThat(c.count()).isGreaterThanOrEqualTo(58);
      });
      assertThat(maps.getFirst()).isEmpty();
    }
  }

  @Test
  void shouldKeepTheListContractFromTwoWorkersAtOnce() {
    try (Manager manager = Manager.start(); ProcessPool pool = ProcessPool.builder().workers(2).aotCache(false).build()) {
      List<List<String>> lists = List.of(manager.list("l0"), manager.list("l1"));
      List<Checks> results = pool.map(ListContract::check, lists);
      assertThat(results).hasSize(2).allSatisfy(c -> {
        assertThat(c.failures()).isEmpty();
        assertThat(c.count()).isGreaterThanOrEqualTo(43);
      });
      assertThat(lists.getFirst()).isEmpty();
    }
  }
}
