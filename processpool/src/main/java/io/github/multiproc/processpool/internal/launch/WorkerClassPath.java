package io.github.multiproc.processpool.internal.launch;

import java.io.File;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a worker JVM finds its classes, and the part of its command line that says so: the class
 * path (and module path) plus the main class, or a Spring Boot launcher.
 *
 * <pre>
 * class path:   --enable-native-access=ALL-UNNAMED ... -cp /abs/a.jar:/abs/classes  WorkerMain
 * module path:  --enable-native-access=io.github.multiproc.processpool,io.github.multiproc.ipc ...
 *               -cp /abs/... --module-path /abs/... --add-modules ALL-MODULE-PATH -m io.github.multiproc.processpool/WorkerMain
 * Spring Boot:  --enable-native-access=ALL-UNNAMED ... -Dloader.main=WorkerMain -Dloader.home=/abs
 *               -cp /abs/app.jar org.springframework.boot.loader.launch.PropertiesLauncher
 * </pre>
 *
 * <p>Every path is absolute, so a worker started in another working directory finds the same
 * files. Instances come from {@link ClassPathResolver#infer} (worked out from the running JVM) or
 * {@link #explicit} (the user's {@code classPath(...)}); {@link #cannotLoad} tells, before a task
 * is sent, whether its class is one the workers can load.
 *
 * <p>Immutable and thread-safe.
 */
public final class WorkerClassPath {

  private final String origin;
  private final boolean explicit;
  private final List<String> classPath;
  private final List<String> modulePath;
  private final String mainModule;
  private final List<String> nativeAccess;
  private final BootJar boot;
  private final ClassLoader bootLoader;
  private final Path programClasses;

  private WorkerClassPath(Builder b) {
    this.origin = b.origin;
    this.explicit = b.explicit;
    this.classPath = List.copyOf(b.classPath);
    this.modulePath = List.copyOf(b.modulePath);
    this.mainModule = b.mainModule;
    this.nativeAccess = List.copyOf(b.nativeAccess);
    this.boot = b.boot;
    this.bootLoader = b.bootLoader;
    this.programClasses = b.programClasses;
  }

  /**
   * The class path the user gave ({@code ProcessPool.builder().classPath(...)}), used as is.
   *
   * @param entries jars and directories; relative ones are resolved against {@code user.dir}
   * @return the class path
   */
  public static WorkerClassPath explicit(List<Path> entries) {
    ClassPathEntries cp = new ClassPathEntries();
    entries.forEach(cp::add);
    Builder b = new Builder("set with classPath(...)");
    b.explicit = true;
    b.classPath = cp.toList();
    return b.build();
  }

  /**
   * Returns the JVM options and main-class arguments that start {@code mainClass} with these
   * paths; the program's own arguments follow them.
   *
   * @param mainClass the binary name of the main class
   * @return {@code -cp ... mainClass}, {@code ... -m module/mainClass}, or Boot's launcher
   */
  public List<String> launchArguments(String mainClass) {
    if (boot != null) {
      return boot.launchArguments(mainClass);
    }
    List<String> args = new ArrayList<>();
    if (!classPath.isEmpty()) {
      args.add("-cp");
      args.add(classPath());
    }
    if (mainModule == null) {
      args.add(mainClass);
      return args;
    }
    if (!modulePath.isEmpty()) {
      args.add("--module-path");
      args.add(String.join(File.pathSeparator, modulePath));
      args.add("--add-modules");
      args.add("ALL-MODULE-PATH");
    }
    args.add("-m");
    args.add(mainModule + "/" + mainClass);
    return args;
  }

  /** {@return the {@code --enable-native-access} option naming the library's code, and only it} */
  public String nativeAccessOption() {
    return "--enable-native-access=" + String.join(",", nativeAccess);
  }

  /** {@return the class path as one string, empty when there is none} */
  public String classPath() {
    return boot != null ? boot.archive().toString() : String.join(File.pathSeparator, classPath);
  }

  /** {@return the module path as one string, or null when the workers run on the class path only} */
  public String modulePath() {
    return mainModule == null || modulePath.isEmpty() ? null : String.join(File.pathSeparator, modulePath);
  }

  /** {@return whether the user named the class path (nothing was inferred)} */
  public boolean isExplicit() {
    return explicit;
  }

  /**
   * {@return the directory this JVM compiled its own source-file program into ({@link SourceProgram}),
   * a class-path entry named anew by every run of the program; empty for any other program}
   */
  public Optional<Path> compiledSourceProgram() {
    return Optional.ofNullable(programClasses);
  }

  /** {@return the Spring Boot jar the workers are launched from, if any} */
  public Optional<BootJar> bootJar() {
    return Optional.ofNullable(boot);
  }

  /** {@return how the paths were found, for diagnostics, such as "inferred from ..."} */
  public String origin() {
    return origin;
  }

  /**
   * Tells why a worker could not load a class, before a task of that class is sent to one. A
   * class is loadable when it comes from the JDK, from this JVM's application class path (or
   * module path), from a file on the workers' class path, from the Spring Boot jar the workers
   * start from, or from the source program the pool compiled. Nothing is checked for a class
   * path the user gave.
   *
   * @param type a task's class
   * @return why workers cannot load it, or empty when they can
   */
  public Optional<String> cannotLoad(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    if (explicit || loader == null || loader == ClassLoader.getPlatformClassLoader()) {
      return Optional.empty();
    }
    if (boot != null) {
      return loader == bootLoader || loader == ClassLoader.getSystemClassLoader() ? Optional.empty()
          : Optional.of(notOnClassPath(type, loader));
    }
    if (loader == ClassLoader.getSystemClassLoader()
        || programClasses != null && SourceProgram.isLaunchedFromSource(type)) {
      return Optional.empty();
    }
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    Optional<Path> file = ClassPathEntries.localPath(location);
    if (file.isPresent()) {
      String path = file.get().normalize().toString();
      if (classPath.contains(path) || modulePath.contains(path)) {
        return Optional.empty();
      }
    }
    return Optional.of(notOnClassPath(type, loader));
  }

  private String notOnClassPath(Class<?> type, ClassLoader loader) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return "the worker JVMs cannot load " + type.getName() + ": it was loaded by " + loader
        + (source == null || source.getLocation() == null ? "" : " from " + source.getLocation())
        + ", which is not on their class path (" + origin + "). Create the pool from code loaded by that"
        + " class loader, so the pool sees its class path, or give the workers one that holds the task's"
        + " classes and multiproc's jars with ProcessPool.builder().classPath(...)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkerClassPath w && explicit == w.explicit && classPath.equals(w.classPath)
        && modulePath.equals(w.modulePath) && Objects.equals(mainModule, w.mainModule)
        && nativeAccess.equals(w.nativeAccess) && Objects.equals(boot, w.boot);
  }

  @Override
  public int hashCode() {
    return Objects.hash(explicit, classPath, modulePath, mainModule, nativeAccess, boot);
  }

  @Override
  public String toString() {
    return "WorkerClassPath[" + origin + ": " + String.join(" ", launchArguments("<main>")) + "]";
  }

  /** Collects the parts; used by {@link ClassPathResolver} and {@link #explicit}. */
  static final class Builder {
    String origin;
    private boolean explicit;
    List<String> classPath = List.of();
    List<String> modulePath = List.of();
    String mainModule;
    List<String> nativeAccess = List.of("ALL-UNNAMED");
    BootJar boot;
    ClassLoader bootLoader;
    Path programClasses;

    Builder(String origin) {
      this.origin = origin;
    }

    WorkerClassPath build() {
      return new WorkerClassPath(this);
    }
  }
}
