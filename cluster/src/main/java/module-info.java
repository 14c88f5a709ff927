/** The cluster backend: the {@link io.github.multiproc.Pool} API on Hazelcast. */
module io.github.multiproc.cluster {
  requires transitive io.github.multiproc.core;
  requires org.slf4j;

  // exports io.github.multiproc.cluster;  (added with the first public type)
}
