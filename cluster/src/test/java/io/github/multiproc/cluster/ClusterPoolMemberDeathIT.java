package io.github.multiproc.cluster;

import io.github.multiproc.Idempotent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.MapOptions;
import io.github.multiproc.PoolEvent;
import io.github.multiproc.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a member JVM with SIGKILL while a {@code map} holds chunks on it: idempotent tasks all
 * complete on the remaining members, others fail with {@link MemberLostException} naming the
 * member, and nothing hangs. Each test kills a different member of the three started for the
 * class, so each starts with at least two alive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterPoolMemberDeathIT {

  private static final List<Integer> INPUTS = IntStream.range(0, 12).boxed().toList();
  private static final MapOptions ONE_PER_CHUNK = MapOptions.builder().chunkSize(1).build();

  private MemberProcesses members;
  private ClusterPool pool;
  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() {
    members = MemberProcesses.start(3, 4);
    pool = ClusterPool.builder().mode(ClusterMode.CLIENT).clusterName(members.clusterName())
        .members(members.addresses()).workers(6).maxAttempts(3)
        .failureDetection(Duration.ofSeconds(3)).connectTimeout(Duration.ofSeconds(20))
        .eventListener(events::add).build();
    // every member present at the start is reported, with its pid
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events)
        .filteredOn(e -> e instanceof PoolEvent.WorkerStarted).extracting(PoolEvent::pid)
        .containsAll(members.members().stream().map(MemberProcesses.Member::pid).toList()));
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.close();
    }
    if (members != null) {
      members.close(); // asserts by pid that no member is left
    }
  }

  @Test
  void shouldRerunIdempotentChunksOnTheRemainingMembersWhenAMemberIsKilled(@TempDir Path markers)
      throws Exception {
    MemberProcesses.Member victim = aliveMember();
    Task<Integer, Integer> task = new StallOnMember.Idem(victim.pid(), markers.toString());

    CompletableFuture<List<Integer>> result = CompletableFuture.supplyAsync(() -> pool.map(task, INPUTS, ONE_PER_CHUNK));
    awaitWorkOn(victim, markers);
    victim.process().destroyForcibly();

    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(INPUTS.stream().map(x -> 2 * x).toList());
    assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    // the pool goes on with the remaining members
    assertThat(pool.map(Idempotent.task((Integer x) -> x + 1), List.of(1, 2))).containsExactly(2, 3);
  }

  @Test
  void shouldFailChunksOfANonIdempotentTaskNamingTheKilledMember(@TempDir Path markers) throws Exception {
    MemberProcesses.Member victim = aliveMember();
    Task<Integer, Integer> task = new StallOnMember(victim.pid(), markers.toString());

    CompletableFuture<List<Integer>> result = CompletableFuture.supplyAsync(() -> pool.map(task, INPUTS, ONE_PER_CHUNK));
    awaitWorkOn(victim, markers);
    victim.process().destroyForcibly();

    Throwable failure = null;
    try {
      result.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      failure = e.getCause();
    }
    assertThat(failure).isInstanceOfSatisfying(MemberLostException.class, e -> {
      assertThat(e.member()).contains("pid " + victim.pid()).contains(victim.address());
      assertThat(e.getMessage()).contains(e.member());
      assertThat(e.getMessage()).contains("not marked idempotent").contains("#" + e.index());
      assertThat(e.attempts()).isEqualTo(1);
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events)
        .anyMatch(e -> e instanceof PoolEvent.WorkerDied d && d.pid() == victim.pid())
        .anyMatch(e -> e instanceof PoolEvent.TaskFailed f && f.pid() == victim.pid()
            && f.failure() instanceof MemberLostException));
    assertThat(pool.stats().itemsFailed()).isPositive();
    // the pool goes on once the cluster has noticed the death (a non-idempotent chunk sent to the
    // dead member before that would fail too, as documented)
    await().atMost(Duration.ofSeconds(20)).until(() -> !victim.process().isAlive()
        && pool.members() == members.members().stream().filter(m -> m.process().isAlive()).count());
    assertThat(pool.map((Integer x) -> x * 3, List.of(1, 2))).containsExactly(3, 6);
  }

  private MemberProcesses.Member aliveMember() {
    List<MemberProcesses.Member> alive = members.members().stream().filter(m -> m.process().isAlive()).toList();
    assertThat(alive).as("members alive before the kill").hasSizeGreaterThanOrEqualTo(2);
    await().atMost(Duration.ofSeconds(20)).until(() -> pool.members() == alive.size());
    return alive.getFirst();
  }

  private static void awaitWorkOn(MemberProcesses.Member victim, Path markers) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      try (Stream<Path> files = Files.list(markers)) {
        return files.anyMatch(f -> f.getFileName().toString().startsWith(victim.pid() + "-"));
      } catch (IOException e) {
        return false;
      }
    });
  }
}
