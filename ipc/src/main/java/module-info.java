/**
 * Channels between JVMs: object codecs, pipes, queues and shared memory. The frame envelope
 * ({@code ipc.frame}) is exported only to the modules that speak a dialect over it; the process
 * pool's module is built after this one, hence the suppressed "module not found".
 */
@SuppressWarnings("module")
module io.github.multiproc.ipc {
  requires transitive io.github.multiproc.core;
  requires org.slf4j;

  exports io.github.multiproc.ipc;
  exports io.github.multiproc.ipc.codec;
  exports io.github.multiproc.ipc.frame to io.github.multiproc.processpool; // the envelope: only the dialects speak it
  exports io.github.multiproc.ipc.shm;
}
