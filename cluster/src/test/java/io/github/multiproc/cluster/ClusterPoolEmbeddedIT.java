package io.github.multiproc.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.multiproc.Pool;
import io.github.multiproc.Pools;
import io.github.multiproc.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.constant.ClassDesc;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded-member {@link ClusterPool} (the development default): selected by configuration,
 * leaves no Hazelcast thread after close, and names the class a member cannot load or refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterPoolEmbeddedIT {

  private ClusterPool pool;

  @BeforeAll
  void start() {
    pool = ClusterPool.builder().clusterName(uniqueName()).port(freePort()).workers(2).memberThreads(2).build();
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void shouldRunAPoolSelectedByConfigurationAndLeaveNoHazelcastThreadAfterClose() {
    String instanceName;
    try (Pool configured = Pools.fromConfig(Map.of(
        "multiproc.backend", "cluster",
        "multiproc.workers", "2",
        "multiproc.cluster.name", uniqueName(),
        "multiproc.cluster.port", Integer.toString(freePort()),
        "multiproc.cluster.maxAttempts", "2"))) {
      assertThat(configured).isInstanceOf(ClusterPool.class);
      assertThat(configured.workers()).isEqualTo(2);
      instanceName = ((ClusterPool) configured).hazelcast().getName();
      assertThat(hazelcastThreadsOf(instanceName)).isNotEmpty();
      Task<Integer, Integer> square = x -> x * x;
      assertThat(configured.map(square, IntStream.range(0, 100).boxed().toList()))
          .isEqualTo(IntStream.range(0, 100).map(x -> x * x).boxed().toList());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> hazelcastThreadsOf(instanceName).isEmpty());
  }

  @Test
  void shouldRunAMapOnTheDurableExecutor() {
    try (ClusterPool durable = ClusterPool.builder().clusterName(uniqueName()).port(freePort()).workers(2)
        .memberThreads(2).durableExecutor(true).build()) {
      Task<Integer, Integer> twice = x -> 2 * x;
      assertThat(durable.map(twice, IntStream.range(0, 50).boxed().toList()))
          .isEqualTo(IntStream.range(0, 50).map(x -> 2 * x).boxed().toList());
    }
  }

  @Test
  void shouldRefuseAMalformedClusterKeyNamingItAndItsValue() {
    Throwable thrown = catchThrowable(() -> Pools.fromConfig(Map.of(
        "multiproc.backend", "cluster", "multiproc.cluster.mode", "satellite")));
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiproc.cluster.mode=satellite").hasMessageContaining("embedded or client");
  }

  @Test
  void shouldNameTheClassAMemberCannotLoadAndWhatToDo(@TempDir Path dir) throws Exception {
    String name = "io.github.multiproc.cluster.generated.MissingTask";
    try (URLClassLoader loader = loaderWithRenamedCopy(MissingTaskTemplate.class, name, dir)) {
      @SuppressWarnings("unchecked")
      Task<Object, Object> task = (Task<Object, Object>) loader.loadClass(name).getConstructor().newInstance();
      assertThat(task.apply(1)).isEqualTo(1); // it works here, only the member lacks it

      Throwable thrown = catchThrowable(() -> pool.map(task, List.<Object>of(1, 2, 3)));

      assertThat(thrown).isInstanceOfSatisfying(MemberClassMissingException.class, e -> {
        assertThat(e.className()).isEqualTo(name);
        assertThat(e.refused()).isFalse();
        assertThat(e.index()).isBetween(0L, 2L); // every chunk fails; map reports the first it sees
        assertThat(e.getMessage()).contains("cannot load class " + name)
            .contains("on the class path of every cluster member")
            .contains("pid " + ProcessHandle.current().pid());
      });
    }
    assertThat(pool.map((Integer x) -> -x, List.of(1))).containsExactly(-1);
  }

  @Test
  void shouldNameTheClassAMemberRefusesAndHowToAllowIt() {
    Throwable thrown = catchThrowable(() -> pool.map(new outside.OutsideTask(), List.of(1)));
    assertThat(thrown).isInstanceOfSatisfying(MemberClassMissingException.class, e -> {
      assertThat(e.className()).isEqualTo("outside.OutsideTask");
      assertThat(e.refused()).isTrue();
      assertThat(e.getMessage()).contains("not in the member's allow-list").contains("--allow outside.");
    });
  }

  @Test
  void shouldFailOnlyTheResultWhoseClassTheCallerRefusesAndSayHowToAllowIt() {
    Task<Integer, Object> task = x -> x == 2 ? new outside.OutsideResult() : (Object) x;
    Throwable thrown = catchThrowable(() -> pool.map(task, List.of(1, 2, 3)));
    assertThat(thrown).isInstanceOfSatisfying(io.github.multiproc.TaskFailedException.class, e -> {
      assertThat(e.index()).isEqualTo(1);
      assertThat(e.getCause()).isInstanceOf(io.github.multiproc.ipc.codec.ItemDecodeException.class)
          .hasMessageContaining("the task's result from member")
          .hasMessageContaining("class outside.OutsideResult is not allowed by the decode rule")
          .hasMessageContaining("ClusterPool.builder().allowClasses(\"outside.\")");
    });
    assertThat(pool.map(task, List.of(1, 3))).containsExactly(1, 3); // the same chunk's others decode
  }

  @Test
  void shouldRefuseATaskThatDoesNotSerializeNamingTheClass() {
    Object notSerializable = new Object();
    Task<Integer, Integer> task = x -> x + notSerializable.hashCode();
    Throwable thrown = catchThrowable(() -> pool.map(task, List.of(1)));
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object")
        .hasMessageContaining("Serializable");
  }

  private static List<String> hazelcastThreadsOf(String instanceName) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.contains(instanceName)).toList();
  }

  private static URLClassLoader loaderWithRenamedCopy(Class<?> template, String newName, Path dir) throws IOException {
    byte[] original;
    try (InputStream in = template.getResourceAsStream(template.getSimpleName() + ".class")) {
      original = in.readAllBytes();
    }
    ClassFile cf = ClassFile.of();
    byte[] renamed = cf.transformClass(cf.parse(original), ClassDesc.of(newName), ClassTransform.ACCEPT_ALL);
    Path file = dir.resolve(newName.replace('.', '/') + ".class");
    Files.createDirectories(file.getParent());
    Files.write(file, renamed);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClusterPoolEmbeddedIT.class.getClassLoader());
  }

  private static String uniqueName() {
    return "multiproc-embedded-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
