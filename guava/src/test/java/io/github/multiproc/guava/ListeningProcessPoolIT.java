package io.github.multiproc.guava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.multiproc.ipc.codec.NotSerializableValueException;
import io.github.multiproc.processpool.ProcessPool;
import io.github.multiproc.processpool.WorkerOutput;
import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link MorePools} over worker JVMs: tasks travel serialized, and one that cannot is refused at submit. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ListeningProcessPoolIT {

  @Test
  void shouldRunSerializableTasksInWorkersAndRefuseOthersAtSubmit() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().workers(1).output(WorkerOutput.DISCARD).build()) {
      ListeningExecutorService executor = MorePools.listeningDecorator(pool);
      ListenableFuture<Long> pid = executor.submit((Callable<Long> & Serializable) () -> ProcessHandle.current().pid());
      ListenableFuture<Boolean> elsewhere = Futures.transform(pid, p -> p != ProcessHandle.current().pid(),
          MoreExecutors.directExecutor());
      assertThat(elsewhere.get()).isTrue();

      Callable<String> notSerializable = () -> "x";
      assertThatThrownBy(() -> executor.submit(notSerializable)).isInstanceOf(NotSerializableValueException.class);

      // what MoreExecutors.listeningDecorator would send: its own task wrapper, which does not serialize
      ListeningExecutorService guavaOwn = MoreExecutors.listeningDecorator(pool.asExecutorService());
      assertThatThrownBy(() -> guavaOwn.submit((Callable<String> & Serializable) () -> "x"))
          .isInstanceOf(NotSerializableValueException.class);

      executor.shutdown();
      assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(pool.allWorkerProcesses()).noneMatch(ProcessHandle::isAlive);
    }
  }
}
