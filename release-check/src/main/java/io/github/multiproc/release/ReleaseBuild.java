package io.github.multiproc.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's release profile over the whole reactor as a release would
 * ({@code mvn -Prelease -DskipTests deploy}), with two differences: the Central bundle is staged
 * and not uploaded ({@code -DskipUpload}), and the signing key is a throwaway one. It uses a Maven new enough for the release profile, unpacked by
 * this module's build; its local repository is under {@code target/}, reading the user's local
 * repository as a read-only tail, so nothing it builds lands where other builds look.
 *
 * @param mavenHome the Maven to run
 * @param root the project's root directory
 * @param userRepository the user's local repository, read only
 * @param work this check's directory under {@code target/}
 */
record ReleaseBuild(Path mavenHome, Path root, Path userRepository, Path work) {

  /** {@return the staging directory: the file repository the release profile deploys to} */
  Path staging() {
    return work.resolve("staging");
  }

  /** {@return where the Central bundle is written} */
  Path output() {
    return work.resolve("bundle");
  }

  /**
   * Runs the build.
   *
   * @param key the signing key
   * @param timeout how long it may take
   * @return Maven's exit code and the end of its output
   * @throws IOException if it cannot be started
   * @throws InterruptedException if interrupted while waiting
   */
  Result run(ThrowawayKey key, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(work);
    List<String> command = new ArrayList<>(List.of(mavenHome.resolve("bin").resolve("mvn").toString(),
        "-B", "-ntp", "-f", root.resolve("pom.xml").toString(),
        "-Prelease",
        "-DskipTests", "-Dmdep.analyze.skip=true", "-Dmaven.install.skip=true", "-Dbenchmarks.shade.skip=true",
        "-Djcstress.shade.skip=true",
        "-DskipUpload=true", "-DstagingDirectory=" + staging(), "-DdeferredDirectory=" + staging(),
        "-DoutputDirectory=" + output(),
        "-Dmaven.repo.local=" + work.resolve("repository"), "-Dmaven.repo.local.tail=" + userRepository,
        "deploy"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("build.log").toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow");
    pb.environment().put("MAVEN_GPG_KEY", key.armoredSecretKey());
    pb.environment().put("MAVEN_GPG_PASSPHRASE", key.passphrase());
    pb.environment().remove("MAVEN_ARGS");
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      return new Result(-1, "the release build did not finish within " + timeout + "\n" + tail());
    }
    return new Result(p.exitValue(), tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(work.resolve("build.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }

  /**
   * How the build ended.
   *
   * @param exit Maven's exit code
   * @param log the end of its output
   */
  record Result(int exit, String log) {}
}
