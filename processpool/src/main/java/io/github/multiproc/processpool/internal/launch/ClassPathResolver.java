package io.github.multiproc.processpool.internal.launch;

import io.github.multiproc.Pool;
import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.processpool.WorkerStartException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Works out a worker JVM's class path from where the library and the caller's classes were
 * really loaded, so that a pool starts wherever its caller runs.
 *
 * <ol>
 * <li><b>Spring Boot executable jar</b> (the library's code source is a nested jar,
 *     {@code jar:nested:/app.jar/!BOOT-INF/lib/...}): the worker is started through Boot's own
 *     {@code PropertiesLauncher} from {@code app.jar} ({@link BootJar}).
 * <li><b>Otherwise</b> the class path is, in this order: {@code java.class.path}; then the
 *     {@code file:} URLs of every {@link URLClassLoader} from the application loader down to the
 *     library's loader, the loader of the code that created the pool (the first caller on the
 *     stack that is not multiproc), the thread's context loader, and the loaders of the given
 *     anchor classes (a {@code JvmProcess}'s job). That is parent-first, the JDK's delegation
 *     order. This covers {@code mvn exec:java}, servlet containers, plugin hosts and any child
 *     {@code URLClassLoader}.
 * <li>A program launched from its source file ({@code java QuickStart.java}) is compiled again
 *     into a temporary directory that joins the class path ({@link SourceProgram}).
 * <li>When the library runs as named modules, the module path goes along and the worker's main
 *     class is started from its module; native access is granted to multiproc's modules only.
 * </ol>
 *
 * <p>Every entry is made absolute against the parent's working directory. Class loaders that are
 * not {@code URLClassLoader}s cannot be listed; {@link WorkerClassPath#cannotLoad} then refuses
 * their tasks with a message pointing at {@code classPath(...)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ClassPathResolver {

  private ClassPathResolver() {}

  /**
   * Works out the class path workers need to run tasks of the calling code.
   *
   * @param anchors classes the workers must load besides the caller's (may be empty)
   * @return the class path
   * @throws WorkerStartException if the library sits in a nested jar that is not a Spring Boot
   *     executable jar, which no {@code java} command can name
   */
  public static WorkerClassPath infer(List<Class<?>> anchors) {
    Class<?> library = ClassPathResolver.class;
    Optional<Path> archive = BootJar.nestedArchive(location(library));
    if (archive.isPresent()) {
      return fromBootJar(archive.get(), library);
    }
    Optional<Class<?>> caller = caller();
    ClassPathEntries cp = new ClassPathEntries();
    cp.addPathList(System.getProperty("java.class.path"));
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(library.getClassLoader());
    caller.ifPresent(c -> loaders.add(c.getClassLoader()));
    loaders.add(Thread.currentThread().getContextClassLoader());
    anchors.forEach(c -> loaders.add(c.getClassLoader()));
    Set<ClassLoader> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ClassLoader loader : loaders) {
      addLoaderChain(loader, cp, seen);
    }
    StringBuilder origin = new StringBuilder("inferred from java.class.path and the class loaders of multiproc and its caller");
    WorkerClassPath.Builder b = new WorkerClassPath.Builder("");
    Optional<Path> source = SourceProgram.sourceFile();
    if (source.isPresent() && Stream.concat(caller.stream(), anchors.stream()).anyMatch(SourceProgram::isLaunchedFromSource)) {
      b.programClasses = SourceProgram.compiledClasses(source.get());
      cp.add(b.programClasses);
      origin.append(", plus ").append(source.get().getFileName()).append(" compiled into ").append(b.programClasses);
    }
    Module module = library.getModule();
    if (module.isNamed()) {
      ClassPathEntries mp = new ClassPathEntries();
      mp.addPathList(System.getProperty("jdk.module.path"));
      b.modulePath = mp.toList();
      b.mainModule = module.getName();
      b.nativeAccess = Stream.of(module, Codec.class.getModule()).filter(Module::isNamed).map(Module::getName)
          .distinct().toList();
      origin.append(", with the module path");
    }
    b.classPath = cp.toList();
    b.origin = origin.toString();
    return b.build();
  }

  private static WorkerClassPath fromBootJar(Path archive, Class<?> library) {
    Optional<BootJar> boot;
    try {
      boot = BootJar.of(archive);
    } catch (IOException e) {
      throw new WorkerStartException("multiproc was loaded from inside " + archive + ", which cannot be read: " + e
          + "; give the workers a class path with ProcessPool.builder().classPath(...)", e);
    }
    if (boot.isEmpty()) {
      throw new WorkerStartException("multiproc was loaded from a jar nested in " + archive + " (" + location(library)
          + "), which is not a Spring Boot executable jar, so no java command can name it; give the workers a class"
          + " path of plain jars and directories with ProcessPool.builder().classPath(...)", null);
    }
    WorkerClassPath.Builder b = new WorkerClassPath.Builder("the Spring Boot jar " + archive
        + ", started through " + boot.get().launcherClass());
    b.boot = boot.get();
    b.bootLoader = library.getClassLoader();
    return b.build();
  }

  /** Adds a loader's URLs and its parents', root first (parent-first delegation). */
  private static void addLoaderChain(ClassLoader loader, ClassPathEntries cp, Set<ClassLoader> seen) {
    Deque<ClassLoader> chain = new ArrayDeque<>();
    for (ClassLoader l = loader; l != null && !seen.contains(l); l = l.getParent()) {
      chain.push(l);
    }
    for (ClassLoader l : chain) {
      seen.add(l);
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          cp.addUrl(url);
        }
      }
    }
  }

  /** The first class on the stack whose code is not multiproc's (nor the JDK's). */
  private static Optional<Class<?>> caller() {
    Set<String> library = new LinkedHashSet<>();
    for (Class<?> c : List.of(ClassPathResolver.class, Pool.class, Codec.class)) {
      URL l = location(c);
      if (l != null) {
        library.add(l.toString());
      }
    }
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
        .map(StackWalker.StackFrame::getDeclaringClass)
        .filter(c -> {
          URL l = location(c);
          return l != null && !library.contains(l.toString());
        })
        .findFirst());
  }

  private static URL location(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    return source == null ? null : source.getLocation();
  }
}
