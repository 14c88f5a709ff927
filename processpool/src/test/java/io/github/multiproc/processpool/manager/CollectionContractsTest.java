package io.github.multiproc.processpool.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serial;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The conformance cases hold for the JDK's own collections, and catch a map that breaks one. */
class CollectionContractsTest {

  @Test
  void shouldHoldForTheJdksConcurrentHashMap() {
    Checks c = MapContract.check(new ConcurrentHashMap<>());
    assertThat(c.failures()).isEmpty();
    assertThat(c.count()).isGreaterThanOrEqualTo(58);
  }

  @Test
  void shouldHoldForTheJdksArrayList() {
    Checks c = ListContract.check(new ArrayList<>());
    assertThat(c.failures()).isEmpty();
    assertThat(c.count()).isGreaterThanOrEqualTo(43);
  }

  @Test
  void shouldCatchAMapThatBreaksTheContract() {
    assertThat(MapContract.check(new ConcurrentHashMap<>() {
      @Serial private static final long serialVersionUID = 1L;

      @Override
      public boolean remove(Object key, Object value) {
        return false; // never removes
      }
    }).failures()).anyMatch(f -> f.contains("remove(k, value)"));
  }
}
