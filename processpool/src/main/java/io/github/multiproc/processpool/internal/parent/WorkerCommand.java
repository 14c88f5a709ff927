package io.github.multiproc.processpool.internal.parent;

import io.github.multiproc.processpool.internal.child.WorkerMain;
import io.github.multiproc.processpool.internal.launch.ClassPathResolver;
import io.github.multiproc.processpool.internal.launch.JavaExecutable;
import io.github.multiproc.processpool.internal.launch.WorkerClassPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of a worker JVM: a {@code java} executable, where the worker finds its
 * classes ({@link WorkerClassPath}: class path, module path or a Spring Boot launcher), the pool's
 * JVM arguments, and where the worker finds its protocol pipes.
 *
 * <pre>
 * java -Xshare:auto -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr
 *      --enable-native-access=ALL-UNNAMED [-XX:AOTCache=...] [user jvmArgs...]
 *      -cp &lt;absolute class path&gt; io.github.multiproc.processpool.internal.child.WorkerMain
 *      &lt;parent pid&gt; &lt;codec&gt; &lt;pipe directory&gt;
 * </pre>
 *
 * <p>The protocol runs over two named pipes ({@link WorkerPipes}), never over the worker's stdin/stdout, so the
 * JVM's own messages only need to go to stderr for the death diagnostics (the stderr tail).
 *
 * @param java the {@code java} executable
 * @param paths where the worker finds its classes
 * @param jvmArgs the user's JVM arguments
 * @param environment extra environment variables
 * @param workingDirectory the worker's working directory, or null for the parent's
 * @param codecClass the worker codec's class name
 */
public record WorkerCommand(String java, WorkerClassPath paths, List<String> jvmArgs,
    Map<String, String> environment, Path workingDirectory, String codecClass) {

  /** The worker's main class. */
  public static final String MAIN_CLASS = WorkerMain.class.getName();

  /**
   * Copies the lists.
   *
   * @param java the {@code java} executable
   * @param paths where the worker finds its classes
   * @param jvmArgs the user's JVM arguments
   * @param environment extra environment variables
   * @param workingDirectory the worker's working directory, or null for the parent's
   * @param codecClass the worker codec's class name
   */
  public WorkerCommand {
    jvmArgs = List.copyOf(jvmArgs);
    environment = Map.copyOf(environment);
  }

  /**
   * The command line of the running JVM's {@code java}, with a class path inferred from the
   * calling code ({@link ClassPathResolver#infer}).
   *
   * @param jvmArgs the user's JVM arguments
   * @param environment extra environment variables
   * @param workingDirectory the working directory, or null
   * @param codecClass the codec's class name
   * @return the command
   */
  public static WorkerCommand ofCurrentJvm(List<String> jvmArgs, Map<String, String> environment,
      Path workingDirectory, String codecClass) {
    return new WorkerCommand(currentJava(), ClassPathResolver.infer(List.of()), jvmArgs, environment,
        workingDirectory, codecClass);
  }

  /** @return the running JVM's {@code java} executable */
  public static String currentJava() {
    return JavaExecutable.current();
  }

  /** @return the workers' class path as one string, possibly empty (the Spring Boot jar when launched through Boot) */
  public String classPath() {
    return paths.classPath();
  }

  /** @return the module path, or null when the workers run on the class path only */
  public String modulePath() {
    return paths.modulePath();
  }

  /**
   * Returns the command line for display and for the AOT cache key: the pipe directory is a
   * placeholder, since it differs for every worker.
   *
   * @param parentPid this JVM's pid, which the worker watches
   * @param aotCacheArgs flags for the AOT cache, possibly empty
   * @return the command
   */
  public List<String> commandLine(long parentPid, List<String> aotCacheArgs) {
    return commandLine(parentPid, aotCacheArgs, "<pipes>");
  }

  /**
   * Returns the full command line of a worker.
   *
   * @param parentPid this JVM's pid, which the worker watches
   * @param aotCacheArgs flags for the AOT cache, possibly empty
   * @param pipes the directory of the worker's protocol pipes
   * @return the command
   */
  public List<String> commandLine(long parentPid, List<String> aotCacheArgs, String pipes) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    if (aotCacheArgs.isEmpty()) {
      cmd.add("-Xshare:auto"); // the JDK's default CDS archive; the AOT cache flags exclude -Xshare
    }
    cmd.add("-XX:+DisplayVMOutputToStderr");
    cmd.add("-Xlog:disable");
    cmd.add("-Xlog:all=warning:stderr");
    cmd.add(paths.nativeAccessOption());
    cmd.addAll(aotCacheArgs);
    cmd.addAll(jvmArgs);
    cmd.addAll(paths.launchArguments(MAIN_CLASS));
    cmd.add(Long.toString(parentPid));
    cmd.add(codecClass);
    cmd.add(pipes);
    return cmd;
  }

  /**
   * Creates the process builder for this command.
   *
   * @param parentPid this JVM's pid
   * @param aotCacheArgs flags for the AOT cache
   * @param pipes the worker's protocol pipes
   * @return the builder, stdin/stdout/stderr as pipes
   */
  public ProcessBuilder processBuilder(long parentPid, List<String> aotCacheArgs, WorkerPipes pipes) {
    ProcessBuilder pb = new ProcessBuilder(commandLine(parentPid, aotCacheArgs, pipes.directory().toString()));
    pb.environment().putAll(environment);
    if (workingDirectory != null) {
      pb.directory(workingDirectory.toFile());
    }
    return pb;
  }
}
