/**
 * The process backend: {@code ProcessPool} (worker JVMs behind the {@link io.github.multiproc.Pool}
 * API) and {@code JvmProcess} (one job in a fresh JVM, like {@code multiprocessing.Process}).
 *
 * @since 0.1
 */
package io.github.multiproc.processpool;
