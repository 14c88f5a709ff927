/** Channels between JVMs: the frame protocol, object codecs, pipes, queues and shared memory. */
module io.github.multiproc.ipc {
  requires org.slf4j;

  exports io.github.multiproc.ipc;
  exports io.github.multiproc.ipc.codec;
  exports io.github.multiproc.ipc.frame;
  exports io.github.multiproc.ipc.shm;
}
