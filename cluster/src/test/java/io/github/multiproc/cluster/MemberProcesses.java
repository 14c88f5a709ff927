package io.github.multiproc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Member JVMs spawned for a test class on loopback: the first starts alone (it becomes the
 * master), the others then join it in parallel. Each runs {@link TestMember} with this JVM's
 * {@code java}, class path and {@link ClusterJvmArgs#HAZELCAST}; stderr goes to a file under
 * {@code target/}. {@link #close()} ends every member and checks by pid that none is left.
 */
final class MemberProcesses implements AutoCloseable {

  /** A started member. */
  record Member(Process process, long pid, String address) {}

  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String clusterName = "multiproc-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Member> members = new java.util.concurrent.CopyOnWriteArrayList<>();

  private MemberProcesses() {}

  static MemberProcesses start(int count, int threadsPerMember) {
    MemberProcesses m = new MemberProcesses();
    try {
      int port = freePort();
      Member first = m.spawn(port, List.of("127.0.0.1:" + port), threadsPerMember).join();
      m.members.add(first);
      List<CompletableFuture<Member>> rest = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        rest.add(m.spawn(freePort(), List.of(first.address()), threadsPerMember));
      }
      rest.forEach(f -> m.members.add(f.join()));
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  String clusterName() {
    return clusterName;
  }

  List<Member> members() {
    return List.copyOf(members);
  }

  List<String> addresses() {
    return members.stream().map(Member::address).toList();
  }

  private CompletableFuture<Member> spawn(int port, List<String> join, int threads) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(ClusterJvmArgs.HAZELCAST);
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), TestMember.class.getName(),
        "--cluster-name", clusterName, "--port", Integer.toString(port),
        "--members", String.join(",", join), "--threads", Integer.toString(threads),
        "--failure-detection-seconds", "3"));
    Process p;
    try {
      Path log = Files.createDirectories(Path.of("target", "members")).resolve(clusterName + "-" + port + ".log");
      p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a member JVM: " + command, e);
    }
    members.add(new Member(p, p.pid(), "pending")); // so close() finds it even if start fails
    return CompletableFuture.supplyAsync(() -> awaitReady(p)).whenComplete((m, e) ->
        members.removeIf(x -> x.process() == p)).orTimeout(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS).exceptionally(e -> {
      p.destroyForcibly();
      throw new IllegalStateException("member pid " + p.pid() + " did not report READY within " + START_TIMEOUT
          + "; see target/members/" + clusterName + "-" + port + ".log", e);
    });
  }

  private static Member awaitReady(Process p) {
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("READY ")) {
          String[] parts = line.split(" ");
          return new Member(p, Long.parseLong(parts[1]), parts[2]);
        }
      }
      throw new IllegalStateException("member pid " + p.pid() + " exited before READY");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Member m : members) {
      try {
        m.process().getOutputStream().close(); // EOF: the member halts
      } catch (IOException e) {
        m.process().destroyForcibly();
      }
    }
    for (Member m : members) {
      try {
        if (!m.process().waitFor(10, TimeUnit.SECONDS)) {
          m.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // keep the status; still kill the rest below
        m.process().destroyForcibly();
      }
    }
    for (Member m : members) {
      assertThat(ProcessHandle.of(m.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("member pid %d is still alive after close", m.pid()).isFalse();
    }
  }
}
