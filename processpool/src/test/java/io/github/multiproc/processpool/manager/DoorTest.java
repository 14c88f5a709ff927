package io.github.multiproc.processpool.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The sweep of doors left by managers that died without closing them. */
class DoorTest {

  @Test
  void shouldDeleteTheDoorsOfDeadManagersAndKeepTheLivingOnes() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path dead = Files.createDirectory(tmp.resolve(Door.DIRECTORY_PREFIX + done.pid() + "-test"));
    Files.createFile(dead.resolve("door"));
    Path living = Files.createDirectory(tmp.resolve(Door.DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-test"));
    try {
      Door.sweepDead();
      assertThat(dead).doesNotExist();
      assertThat(living).isDirectory();
    } finally {
      Files.deleteIfExists(dead.resolve("door"));
      Files.deleteIfExists(dead);
      Files.deleteIfExists(living);
    }
  }
}
