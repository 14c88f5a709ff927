package io.github.multiproc.cluster;

/**
 * How a {@link ClusterPool} reaches the cluster.
 *
 * @since 0.1
 */
public enum ClusterMode {
  /**
   * The pool starts a Hazelcast member inside this JVM, which joins (or forms) the cluster and runs
   * tasks too. The default: for development and tests it needs nothing else.
   */
  EMBEDDED,
  /**
   * The pool connects as a Hazelcast client to an existing cluster and only sends work; members
   * run every task.
   */
  CLIENT
}
