package io.github.multiproc.processpool.internal.parent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A pool's workers are sized for their share of the machine, and a user's flag of a family wins. */
class WorkerSizingTest {

  @Test
  void shouldSizeEachWorkerForItsShareOfTheMachine() {
    assertThat(WorkerCommand.poolWorkerSizing(2, 2, List.of())).containsExactly(
        "-XX:+UseSerialGC", "-Xms16m", "-XX:MaxRAMPercentage=12.50", "-XX:ActiveProcessorCount=1");
    assertThat(WorkerCommand.poolWorkerSizing(4, 16, List.of())).containsExactly(
        "-Xms16m", "-XX:MaxRAMPercentage=6.25", "-XX:ActiveProcessorCount=4");
    assertThat(WorkerCommand.poolWorkerSizing(3, 16, List.of())).containsExactly(
        "-Xms16m", "-XX:MaxRAMPercentage=8.33", "-XX:ActiveProcessorCount=5");
  }

  @Test
  void shouldLeaveTheWholeMachineToASingleWorker() {
    assertThat(WorkerCommand.poolWorkerSizing(1, 2, List.of())).containsExactly("-XX:+UseSerialGC", "-Xms16m");
    assertThat(WorkerCommand.poolWorkerSizing(1, 8, List.of())).containsExactly("-Xms16m");
  }

  @Test
  void shouldGiveOneCoreAtLeastWhenThereAreMoreWorkersThanCores() {
    assertThat(WorkerCommand.poolWorkerSizing(8, 2, List.of())).contains("-XX:ActiveProcessorCount=1",
        "-XX:MaxRAMPercentage=3.13");
  }

  @Test
  void shouldLeaveOutEveryFamilyTheUserSets() {
    assertThat(WorkerCommand.poolWorkerSizing(2, 2, List.of("-XX:+UseG1GC"))).doesNotContain("-XX:+UseSerialGC");
    assertThat(WorkerCommand.poolWorkerSizing(2, 2, List.of("-Xmx4m")))
        .noneMatch(f -> f.startsWith("-Xms") || f.startsWith("-XX:MaxRAMPercentage"));
    assertThat(WorkerCommand.poolWorkerSizing(2, 2, List.of("-XX:MaxRAMPercentage=50")))
        .noneMatch(f -> f.startsWith("-Xms") || f.startsWith("-XX:MaxRAMPercentage"));
    assertThat(WorkerCommand.poolWorkerSizing(2, 2, List.of("-XX:ActiveProcessorCount=2")))
        .noneMatch(f -> f.startsWith("-XX:ActiveProcessorCount"));
    assertThat(WorkerCommand.poolWorkerSizing(2, 2, List.of("-Dapp=1"))).hasSize(4);
  }
}
