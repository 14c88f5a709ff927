package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;

/** Relays what the worker's code writes to fd 1 (the capture pipe) to the parent as OUTPUT frames. */
final class OutputRelay {

  private OutputRelay() {}

  static Thread start(InputStream capture, FrameWriter writer) {
    return Thread.ofPlatform().daemon().name("multiproc-output-1").start(() -> {
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = capture.read(buf, 0, buf.length)) > 0) {
          writer.write(FrameType.OUTPUT, Protocol.STDOUT, buf, 0, n);
          writer.flush();
        }
      } catch (IOException e) {
        // the protocol pipe is gone: the worker is exiting
      }
    });
  }
}
