package io.github.multiproc.processpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.multiproc.ExecutorServiceContract;
import io.github.multiproc.Pool;
import io.github.multiproc.ipc.codec.NotSerializableValueException;
import outside.Ask;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ExecutorService view contract against {@link ProcessPool}, plus what only a process
 * backend does: a task that does not serialize is refused at submit, with the class and field
 * path, never later inside a worker.
 */
class ProcessPoolExecutorServiceIT extends ExecutorServiceContract {

  @Override
  protected Pool createPool(int workers) {
    return ProcessPool.builder().workers(workers).output(WorkerOutput.DISCARD).build();
  }

  @Override
  protected boolean runsTasksInThisJvm() {
    return false;
  }

  /** A serializable task that holds something that is not. */
  record Holding(Object thing) implements Callable<String>, Serializable {
    @Override
    public String call() {
      return "never";
    }
  }

  @Test
  void shouldReturnResultsOfTheTasksOwnClasses() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build()) {
      // a package outside multiproc's: results are decoded under the rule that admits the task's own package
      Ask.Answer answer = pool.asExecutorService().submit(new Ask("hello")).get(60, TimeUnit.SECONDS);
      assertThat(answer.text()).isEqualTo("hello");
      assertThat(answer.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(pool.asExecutorService().invokeAll(List.of(new Ask("a"), new Ask("b")))).allSatisfy(f ->
          assertThat(f.get().text()).isIn("a", "b"));
    }
  }

  @Test
  void shouldRefuseATaskThatDoesNotSerializeAtSubmitNamingItsClassAndField() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build()) {
      ExecutorService e = pool.asExecutorService();
      Callable<String> lambda = () -> "not serializable";
      assertThatThrownBy(() -> e.submit(lambda)).isInstanceOf(NotSerializableValueException.class)
          .hasMessageContaining(getClass().getName() + "$$Lambda");
      assertThatThrownBy(() -> e.execute(() -> { })).isInstanceOf(NotSerializableValueException.class);
      assertThatThrownBy(() -> e.submit(new Holding(new Object())))
          .isInstanceOfSatisfying(NotSerializableValueException.class, x -> {
            assertThat(x.offendingClassName()).isEqualTo("java.lang.Object");
            assertThat(x.path()).contains(Holding.class.getName()).contains("thing");
          });

      Callable<String> blocks = (Callable<String> & Serializable) () -> {
        new java.util.concurrent.CountDownLatch(1).await(); // until cancelled
        return "never";
      };
      assertThatThrownBy(() -> e.invokeAll(List.of(blocks, new Holding(new Object()))))
          .isInstanceOf(NotSerializableValueException.class);
      assertThat(e.submit((Callable<String> & Serializable) () -> "still usable").get()).isEqualTo("still usable");
      e.shutdown();
      assertThat(e.awaitTermination(60, TimeUnit.SECONDS)).as("invokeAll cancelled what it had submitted").isTrue();
    }
  }
}
