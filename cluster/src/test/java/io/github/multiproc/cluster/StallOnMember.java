package io.github.multiproc.cluster;

import io.github.multiproc.Idempotent;
import io.github.multiproc.Task;
import io.github.multiproc.Work;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A task for member-death tests: it leaves a marker file {@code <pid>-<input>} in a directory so
 * the test can see where each input runs, then blocks (until interrupted or killed) when it runs
 * on the victim member, and answers {@code 2 * input} everywhere else.
 *
 * @param victimPid the pid of the member that stalls
 * @param markerDir where markers go
 */
record StallOnMember(long victimPid, String markerDir) implements Task<Integer, Integer> {

  @Override
  public Integer apply(Integer x) throws IOException, InterruptedException {
    long pid = ProcessHandle.current().pid();
    Files.writeString(Path.of(markerDir, pid + "-" + x), "");
    if (pid == victimPid) {
      Work.pause(Duration.ofMinutes(5));
    }
    return 2 * x;
  }

  /** The same task, marked idempotent. */
  record Idem(long victimPid, String markerDir) implements Task<Integer, Integer>, Idempotent {
    @Override
    public Integer apply(Integer x) throws IOException, InterruptedException {
      return new StallOnMember(victimPid, markerDir).apply(x);
    }
  }
}
