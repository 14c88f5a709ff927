package io.github.multiproc.ipc.codec;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which classes a decode may instantiate: the allow rule behind {@link JdkCodec} (and through it
 * {@link FastPathCodec}, the process pool and the cluster pool). A payload that names any other
 * class is refused before the class is initialized or an instance of it exists, with a message
 * that names the class and the line of code that allows it.
 *
 * <p><b>The default rule</b> ({@link #defaults()}) allows, after refusing everything that matches
 * a {@linkplain #DEFAULT_DENY deny pattern}:
 * <ul>
 *   <li>the JDK's value and collection types ({@link #BUILT_IN_ALLOW}): boxed primitives and
 *       {@code String} ({@code java.lang.*}), {@code java.math.*}, {@code java.time.**},
 *       {@code java.util.*} (collections, maps, {@code UUID}, {@code Optional}...),
 *       {@code java.util.concurrent.*}, {@code .atomic.*} and {@code .locks.*} (the serial form
 *       of {@code ConcurrentHashMap} holds locks), {@code java.net.URI},
 *       {@code java.io.File}, {@code java.sql} dates, serializable lambdas
 *       ({@code java.lang.invoke.SerializedLambda}; the capturing class must be allowed too);
 *   <li>arrays of allowed types, and primitives;
 *   <li>records and enums of any package outside the JDK's internals ({@code sun.},
 *       {@code com.sun.}, {@code jdk.}): a record is rebuilt through its canonical constructor and
 *       an enum constant is looked up by name, so neither runs a {@code readObject} of its own;
 *   <li>{@code Throwable}s of {@code java.*} and {@code javax.*} (any other exception class needs
 *       its package allowed; if it is not, a pool falls back to the {@code RemoteException}
 *       stand-in that travels beside it, see {@link FailureCodec});
 *   <li>this library's own classes ({@code io.github.multiproc.**}): exceptions, channel
 *       handles (a handle re-attaches a named channel of the same user on arrival).
 * </ul>
 * Dynamic and annotation proxies are refused unless {@link #allowProxies()} was called (and their
 * interfaces and handler are allowed as well), except a proxy that implements one of this
 * library's interfaces: the proxies a {@code Manager} hands out, which travel as a record of this
 * library and are rebuilt on arrival (the JDK filters what a {@code readResolve} returns). Everything else needs a pattern
 * ({@link #allow(String...)}) or a package ({@link #allowPackageOf(Class)}); pools add the package
 * of each call's task class by themselves.
 *
 * {@snippet :
 * AllowRule rule = AllowRule.defaults()
 *     .allow("com.acme.model.**")          // a package and its sub-packages
 *     .allowPackageOf(Invoice.class)       // exactly Invoice's package
 *     .deny("com.acme.model.Secret");      // refused even though allowed above
 * Codec codec = JdkCodec.builder().rule(rule).build();
 * }
 *
 * <p>Pattern syntax (as {@link java.io.ObjectInputFilter.Config}): {@code com.acme.Foo} (that
 * class), {@code com.acme.*} (the classes of package {@code com.acme}), {@code com.acme.**} (that
 * package and its sub-packages), {@code com.acme.Foo*} (names that start with
 * {@code com.acme.Foo}).
 *
 * <p>Thread safety: immutable; every method that changes the rule returns a new one. Decisions
 * are cached per class, so checking a class costs a lookup after the first time.
 *
 * @since 0.2
 */
public final class AllowRule {

  /** Deserialization gadget packages and classes, refused by every rule, even {@link #anyClass()}. */
  public static final List<String> DEFAULT_DENY = List.of(
      "org.apache.commons.collections.functors.*",
      "org.apache.commons.collections4.functors.*",
      "org.apache.commons.beanutils.BeanComparator",
      "org.codehaus.groovy.runtime.*",
      "com.sun.org.apache.xalan.internal.xsltc.trax.*",
      "org.apache.xalan.xsltc.trax.*",
      "org.springframework.beans.factory.support.*",
      "com.mchange.v2.c3p0.*",
      "com.sun.rowset.*",
      "javax.management.**",
      "java.rmi.**",
      "sun.rmi.**",
      "javax.naming.**",
      "com.sun.jndi.**",
      "sun.reflect.annotation.*");

  /** The JDK's value and collection types and this library's packages, allowed by {@link #defaults()}. */
  public static final List<String> BUILT_IN_ALLOW = List.of(
      "java.lang.*", "java.lang.invoke.SerializedLambda",
      "java.math.*", "java.time.**",
      "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*",
      "java.util.concurrent.locks.*", "java.util.regex.Pattern",
      "java.net.URI", "java.io.File",
      "java.sql.Date", "java.sql.Time", "java.sql.Timestamp",
      "io.github.multiproc.**");

  private static final List<ClassNamePattern> DENY = patterns(DEFAULT_DENY);
  private static final String LIBRARY_PREFIX = "io.github.multiproc.";
  private static final List<ClassNamePattern> BUILT_IN = patterns(BUILT_IN_ALLOW);
  private static final AllowRule DEFAULTS = new AllowRule(false, false, List.of(), List.of(), Set.of());
  private static final AllowRule ANY_CLASS = new AllowRule(true, false, List.of(), List.of(), Set.of());

  private final boolean anyClass;
  private final boolean proxies;
  private final List<ClassNamePattern> allow;
  private final List<ClassNamePattern> deny;
  private final Set<String> packages;
  /** This rule's decision per class: null (allowed) or why it is refused. */
  private final ClassValue<String> decisions = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      return decide(type);
    }
  };

  private AllowRule(boolean anyClass, boolean proxies, List<ClassNamePattern> allow,
      List<ClassNamePattern> deny, Set<String> packages) {
    this.anyClass = anyClass;
    this.proxies = proxies;
    this.allow = List.copyOf(allow);
    this.deny = List.copyOf(deny);
    this.packages = Set.copyOf(packages);
  }

  /** {@return the default rule: JDK value types, collections, records, enums, JDK exceptions, this library} */
  public static AllowRule defaults() {
    return DEFAULTS;
  }

  /**
   * Returns the rule that allows every class that no deny pattern refuses: for a trusted
   * sender only, such as a worker decoding what its own parent sent.
   *
   * @return the permissive rule
   */
  public static AllowRule anyClass() {
    return ANY_CLASS;
  }

  /**
   * Returns this rule plus class name patterns.
   *
   * @param patterns patterns in the syntax above
   * @return the new rule
   * @throws IllegalArgumentException for a malformed pattern
   */
  public AllowRule allow(String... patterns) {
    List<ClassNamePattern> more = new ArrayList<>(allow);
    more.addAll(patterns(List.of(patterns)));
    return new AllowRule(anyClass, proxies, more, deny, packages);
  }

  /**
   * Returns this rule plus the package of a class (exactly that package, not its sub-packages).
   * A lambda's package is the package of the class that wrote it.
   *
   * @param type a class whose package is allowed
   * @return the new rule, or this one if the package is allowed already
   */
  public AllowRule allowPackageOf(Class<?> type) {
    String pkg = Objects.requireNonNull(type, "type").getPackageName();
    if (anyClass || packages.contains(pkg)) {
      return this;
    }
    Set<String> more = new LinkedHashSet<>(packages);
    more.add(pkg);
    return new AllowRule(anyClass, proxies, allow, deny, more);
  }

  /**
   * Returns this rule plus deny patterns, checked before anything is allowed.
   *
   * @param patterns patterns in the syntax above
   * @return the new rule
   * @throws IllegalArgumentException for a malformed pattern
   */
  public AllowRule deny(String... patterns) {
    List<ClassNamePattern> more = new ArrayList<>(deny);
    more.addAll(patterns(List.of(patterns)));
    return new AllowRule(anyClass, proxies, allow, more, packages);
  }

  /**
   * Returns this rule allowing dynamic proxy classes whose interfaces it allows (the proxy's
   * invocation handler must be allowed on its own).
   *
   * @return the new rule
   */
  public AllowRule allowProxies() {
    return new AllowRule(anyClass, true, allow, deny, packages);
  }

  /**
   * Tells whether a class may be decoded.
   *
   * @param type the class, an array class or a primitive
   * @return whether it is allowed
   */
  public boolean allows(Class<?> type) {
    return refusal(type) == null;
  }

  /**
   * Says why a class may not be decoded.
   *
   * @param type the class, an array class or a primitive
   * @return {@code null} if it is allowed, else the reason and how to allow it
   */
  public String refusal(Class<?> type) {
    Class<?> c = type;
    while (c.isArray()) {
      c = c.getComponentType();
    }
    return c.isPrimitive() ? null : decisions.get(c);
  }

  private String decide(Class<?> c) {
    String name = c.getName();
    for (ClassNamePattern p : DENY) {
      if (p.matches(name)) {
        return "class " + name + " is refused by the built-in deny pattern '" + p
            + "' (a known deserialization gadget)";
      }
    }
    for (ClassNamePattern p : deny) {
      if (p.matches(name)) {
        return "class " + name + " is refused by deny pattern '" + p + "'";
      }
    }
    if (c == Proxy.class) {
      return proxies ? null : "class java.lang.reflect.Proxy (the superclass of every dynamic proxy) is"
          + " refused unless proxies are allowed with JdkCodec.builder().rule(AllowRule.defaults()"
          + ".allowProxies())";
    }
    if (Proxy.isProxyClass(c)) {
      if (proxies) {
        return null; // the filter checks each of its interfaces separately
      }
      if (implementsLibraryInterface(c)) {
        return null; // made by this library (a manager's proxy, rebuilt by its readResolve); a handler in the stream is checked on its own
      }
      return "class " + name + " is a dynamic proxy (interfaces " + List.of(c.getInterfaces())
          + "), which is refused unless allowed with JdkCodec.builder().rule(AllowRule.defaults()"
          + ".allowProxies())";
    }
    if (anyClass || matchesBuiltIn(c) || packages.contains(c.getPackageName())) {
      return null;
    }
    for (ClassNamePattern p : allow) {
      if (p.matches(name)) {
        return null;
      }
    }
    String pkg = c.getPackageName();
    return "class " + name + " is not allowed by the decode rule (only JDK value and collection"
        + " types, records, enums, JDK exceptions, this library's classes, the task's package and"
        + " registered patterns are); allow it with JdkCodec.builder().allow(\"" + name + "\")"
        + (pkg.isEmpty() ? "" : " or its package with .allow(\"" + pkg + ".*\")")
        + ", or on the command line with -D" + JdkCodec.ALLOW_PROPERTY + "=" + name;
  }

  /**
   * Whether a dynamic proxy class implements one of this library's interfaces: the proxies a
   * manager hands out ({@code ManagedProxy}) are rebuilt by their serial form's
   * {@code readResolve}, whose result the JDK filters as a class of its own.
   */
  private static boolean implementsLibraryInterface(Class<?> proxyClass) {
    for (Class<?> i : proxyClass.getInterfaces()) {
      if (i.getName().startsWith(LIBRARY_PREFIX)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesBuiltIn(Class<?> c) {
    String name = c.getName();
    for (ClassNamePattern p : BUILT_IN) {
      if (p.matches(name)) {
        return true;
      }
    }
    boolean jdkInternal = name.startsWith("sun.") || name.startsWith("com.sun.") || name.startsWith("jdk.");
    if (jdkInternal) {
      return false;
    }
    if (c.isRecord() || Enum.class.isAssignableFrom(c)) {
      return true; // Enum.class.isAssignableFrom: an enum constant with a body subclasses its enum
    }
    return Throwable.class.isAssignableFrom(c) && (name.startsWith("java.") || name.startsWith("javax."));
  }

  private static List<ClassNamePattern> patterns(List<String> patterns) {
    List<ClassNamePattern> out = new ArrayList<>(patterns.size());
    for (String p : patterns) {
      out.add(new ClassNamePattern(p));
    }
    return out;
  }

  @Override
  public String toString() {
    if (anyClass) {
      return "AllowRule[any class but " + DENY.size() + " deny patterns" + (deny.isEmpty() ? "" : " and " + deny) + "]";
    }
    return "AllowRule[defaults" + (allow.isEmpty() ? "" : ", allow " + allow)
        + (packages.isEmpty() ? "" : ", packages " + packages) + (deny.isEmpty() ? "" : ", deny " + deny)
        + (proxies ? ", proxies" : "") + "]";
  }
}
