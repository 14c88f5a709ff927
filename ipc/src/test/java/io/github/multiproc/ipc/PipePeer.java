package io.github.multiproc.ipc;

import io.github.multiproc.ipc.codec.JdkCodec;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The other JVM of {@link PipeIT}: attaches a pipe end and plays one role. Test code; it reports
 * to its parent through stdout, which is its only protocol.
 */
public final class PipePeer {

  private PipePeer() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    switch (mode) {
      case "echo" -> {
        try (Connection c = Connection.attach(args[1])) {
          while (true) { // echoes each message as the kind it came as
            try {
              c.sendBytes(c.recvBytes());
            } catch (MessageKindException objectMessage) {
              c.send(c.recv());
            } catch (EOFException e) {
              break;
            }
          }
        }
      }
      case "send-and-close" -> {
        Connection c = Connection.attach(args[1]);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
          c.send("message " + i);
        }
        c.close();
      }
      case "send-and-halt" -> {
        Connection c = Connection.attach(args[1]);
        c.send("before dying");
        Runtime.getRuntime().halt(3); // dies without closing anything
      }
      case "wait" -> {
        Connection c = Connection.attach(args[1]);
        c.send("ready");
        c.recv(); // blocks until killed
      }
      case "attach" -> {
        Connection c = Connection.attach(args[1]);
        try {
          c.send("intruder");
          c.recv();
          System.out.println("CONNECTED");
        } catch (EOFException e) {
          System.out.println("REFUSED " + e.getMessage());
        } catch (IOException e) {
          System.out.println("REFUSED " + e);
        }
      }
      case "serialized" -> {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        byte[] bytes = Base64.getDecoder().decode(in.readLine());
        try (Connection c = (Connection) JdkCodec.create().decode(bytes)) {
          c.send("hello from " + ProcessHandle.current().pid());
          c.send(c.recv());
        }
      }
      default -> throw new IllegalArgumentException("unknown mode: " + mode);
    }
  }
}
