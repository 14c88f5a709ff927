/**
 * The multiproc core: the {@link io.github.multiproc.Pool} API, the thread and virtual-thread
 * backends, configuration ({@link io.github.multiproc.Pools}) and the SPI other backends
 * implement ({@link io.github.multiproc.spi}).
 */
module io.github.multiproc.core {
  requires org.slf4j;
  requires jdk.jfr;

  exports io.github.multiproc;
  exports io.github.multiproc.spi;
  exports io.github.multiproc.jfr;

  uses io.github.multiproc.spi.PoolProvider;

  provides io.github.multiproc.spi.PoolProvider with
      io.github.multiproc.internal.ThreadPoolProvider,
      io.github.multiproc.internal.VirtualThreadPoolProvider;
}
