/**
 * The cluster backend: the {@link io.github.multiproc.Pool} API on Hazelcast
 * ({@link io.github.multiproc.cluster.ClusterPool}, selected with {@code multiproc.backend=cluster}).
 */
module io.github.multiproc.cluster {
  requires transitive io.github.multiproc.core;
  requires io.github.multiproc.ipc;
  requires transitive com.hazelcast.core;
  requires org.slf4j;

  exports io.github.multiproc.cluster;
  // Hazelcast instantiates the chunk messages (DataSerializable) by reflection.
  exports io.github.multiproc.cluster.internal to com.hazelcast.core;

  provides io.github.multiproc.spi.PoolProvider with io.github.multiproc.cluster.ClusterPoolProvider;
}
