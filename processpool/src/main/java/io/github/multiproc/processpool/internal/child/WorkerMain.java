package io.github.multiproc.processpool.internal.child;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.frame.FrameReader;
import io.github.multiproc.ipc.frame.FrameType;
import io.github.multiproc.ipc.frame.FrameWriter;
import io.github.multiproc.ipc.frame.Frames;
import io.github.multiproc.processpool.internal.protocol.Codecs;
import io.github.multiproc.processpool.internal.protocol.Hello;
import io.github.multiproc.processpool.internal.protocol.Protocol;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The worker JVM's entry point: takes the protocol pipe off fd 0/1, says HELLO, then serves
 * frames until SHUTDOWN or until its parent is gone.
 *
 * <p>Start-up, in this order, so nothing the user's code prints can reach the protocol:
 * <ol>
 * <li>{@code dup(0)} and {@code dup(1)} keep the protocol pipe on fresh descriptors;
 * <li>{@code /dev/null} becomes fd 0, and a new capture pipe becomes fd 1 ({@code dup2}): Java's
 *     {@code System.out}, native {@code printf} and anything else writing to fd 1 lands in the
 *     capture pipe, which a thread relays to the parent as OUTPUT frames;
 * <li>on Linux, {@code prctl(PR_SET_PDEATHSIG, SIGKILL)}, then a check that the parent is still
 *     the one that started us (it may have died before the call).
 * </ol>
 * The JVM's own messages go to stderr ({@code -XX:+DisplayVMOutputToStderr}, set by the parent).
 * Without native access (Windows, or access denied) the worker falls back to the JVM's streams
 * and points {@code System.out} at stderr, which protects the protocol from Java code only.
 *
 * <p>The worker also exits when its parent dies: EOF on the protocol pipe, and a watch on the
 * parent's {@link ProcessHandle}.
 *
 * <p>Arguments: {@code <parent pid> <codec class>}, or {@code --train <codec class>} for the AOT
 * cache's training run. This is protocol code, so it may print to
 * stderr; it never prints to stdout.
 */
public final class WorkerMain {

  /** The protocol pipes' capacity asked of Linux (the default maximum for unprivileged processes). */
  private static final int PIPE_BYTES = 1 << 20;

  /** In place of the parent pid: run the AOT training session and exit. */
  public static final String TRAIN = "--train";

  private WorkerMain() {}

  /**
   * Runs the worker.
   *
   * @param args {@code <parent pid> <codec class name>}
   */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("multiproc worker: expected <parent pid> <codec class>, got " + args.length + " argument(s); "
          + "this class is started by ProcessPool, not by hand");
      System.exit(2);
    }
    Codec codec = Codecs.byName(args[1]);
    if (args[0].equals(TRAIN)) {
      try {
        WorkerTraining.run(codec);
      } catch (IOException | RuntimeException e) {
        System.err.println("multiproc worker: training run failed: " + e);
        System.exit(1);
      }
      System.exit(0);
    }
    long parentPid = Long.parseLong(args[0]);
    InputStream in;
    OutputStream out;
    int captureFd = -1;
    Optional<NativeFds> nativeFds = NativeFds.load();
    try {
      if (nativeFds.isPresent()) {
        NativeFds fds = nativeFds.get();
        int protocolIn = fds.dup(0);
        int protocolOut = fds.dup(1);
        int devNull = fds.openReadOnly("/dev/null");
        fds.dup2(devNull, 0);
        fds.close(devNull);
        int[] capture = fds.pipe();
        fds.dup2(capture[1], 1);
        fds.close(capture[1]);
        captureFd = capture[0];
        if (fds.setParentDeathSignal(9) && ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != parentPid) {
          Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED); // the parent died before prctl
        }
        fds.setPipeSize(protocolIn, PIPE_BYTES); // best effort: fewer wake-ups per large frame
        fds.setPipeSize(protocolOut, PIPE_BYTES);
        in = new BufferedInputStream(FdStreams.input(fds, protocolIn), 1 << 16);
        out = FdStreams.output(fds, protocolOut);
      } else {
        in = new FileInputStream(FileDescriptor.in);
        out = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        System.err.println("multiproc worker: native access unavailable; only Java's System.out is kept off the protocol");
      }
    } catch (IOException e) {
      System.err.println("multiproc worker: cannot take the protocol pipe off fd 0/1: " + e);
      System.exit(Protocol.EXIT_PROTOCOL_ERROR);
      return;
    }
    ProcessHandle.of(parentPid).ifPresent(parent -> parent.onExit()
        .thenRun(() -> Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED)));

    FrameWriter writer = new FrameWriter(out, Frames.DEFAULT_MAX_FRAME_BYTES);
    FrameReader reader = new FrameReader(in, Frames.DEFAULT_MAX_FRAME_BYTES);
    try {
      Hello hello = new Hello(Protocol.VERSION, ProcessHandle.current().pid(), System.getProperty("java.version"));
      byte[] payload = hello.encode();
      writer.write(FrameType.HELLO, 0, payload, 0, payload.length);
      writer.flush();
    } catch (IOException e) {
      Runtime.getRuntime().halt(Protocol.EXIT_PARENT_DIED); // nobody to talk to
    }
    Thread relay = captureFd >= 0 ? OutputRelay.start(FdStreams.input(nativeFds.get(), captureFd), writer) : null;
    int status = new WorkerLoop(reader, writer, codec).run();
    System.out.flush();
    System.err.flush();
    if (relay != null) {
      try { // end fd 1 so the relay sees EOF once it has sent what is left
        int devNull = nativeFds.get().openReadOnly("/dev/null");
        nativeFds.get().dup2(devNull, 1);
        relay.join(1000);
      } catch (IOException e) {
        // exiting anyway
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // exiting anyway; keep the status for form's sake
      }
    }
    try {
      writer.flush();
    } catch (IOException e) {
      // the parent is gone
    }
    Runtime.getRuntime().halt(status);
  }
}
