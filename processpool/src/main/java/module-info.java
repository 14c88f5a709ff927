/** The process backend: worker JVMs behind the {@link io.github.multiproc.Pool} API. */
module io.github.multiproc.processpool {
  requires transitive io.github.multiproc.core;
  requires transitive io.github.multiproc.ipc;
  requires org.slf4j;

  // exports io.github.multiproc.processpool;  (added with the first public type)
}
