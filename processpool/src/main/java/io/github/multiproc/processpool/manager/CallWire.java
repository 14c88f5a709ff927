package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.codec.FailureCodec;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The bytes of the manager's calls and answers, each one message of a client's
 * {@link io.github.multiproc.ipc.Pipe} (sent with {@code sendBytes}); the only code that lays
 * them out. All integers big-endian. Values are {@link io.github.multiproc.ipc.codec.FastPathCodec}
 * bytes (a tag byte, then a few bytes for {@code null}, strings and boxed numbers, a JDK
 * serialization stream for anything else).
 *
 * <pre>
 * request, CALL:                              request, BATCH:
 *  0      1   op = 1                           0      1   op = 2
 *  1      4   object id (int32)                1      4   count (int32)
 *  5      2   method index (int16); -1: apply  5      ... count x [object id | method | argc | args]
 *  7      1   argc (uint8)                                   laid out as in CALL from offset 1
 *  8      ... argc x [int32 length | value]
 *
 * answer:                                      answer to a BATCH:
 *  0      1   status: 0 value, 1 failure        0      4   count answered (int32; stops at a failure)
 *  value:   1.. the result's value bytes        4      ... count x [int32 length | answer]
 *  failure: 1  4  length of the original exception's bytes, -1 if it did not encode
 *           5  .. the original | its RemoteException stand-in (the rest)
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
final class CallWire {

  static final byte CALL = 1;
  static final byte BATCH = 2;
  static final byte VALUE = 0;
  static final byte FAILURE = 1;
  /** The method index of {@link Manager#atomically}: the one argument is a function of the object. */
  static final int APPLY = -1;

  private CallWire() {}

  /** One call as the manager reads it: the arguments are still bytes, decoded by the dispatcher. */
  record Call(int objectId, int method, byte[][] args) {}

  /** One call as a client writes it: the arguments already encoded. */
  record Encoded(int objectId, int method, byte[][] args) {
    int size() {
      int n = 7;
      for (byte[] a : args) {
        n += 4 + a.length;
      }
      return n;
    }

    void writeTo(ByteBuffer b) {
      b.putInt(objectId).putShort((short) method).put((byte) args.length);
      for (byte[] a : args) {
        b.putInt(a.length).put(a);
      }
    }
  }

  /**
   * Encodes a call's arguments, at the caller, so that one that does not serialize fails here.
   *
   * @param objectId the object
   * @param method its method index
   * @param args the arguments, may be {@code null} for none
   * @param codec the client's codec
   * @return the encoded call
   * @throws io.github.multiproc.ipc.codec.NotSerializableValueException naming the class and path
   */
  static Encoded encode(int objectId, int method, Object[] args, Codec codec) {
    int n = args == null ? 0 : args.length;
    if (n > 255) {
      throw new IllegalArgumentException("a manager call takes at most 255 arguments: " + n);
    }
    byte[][] encoded = new byte[n][];
    for (int i = 0; i < n; i++) {
      encoded[i] = codec.encode(args[i]);
    }
    return new Encoded(objectId, method, encoded);
  }

  /** {@return the CALL message of one encoded call} */
  static byte[] call(Encoded call) {
    ByteBuffer b = ByteBuffer.allocate(1 + call.size());
    b.put(CALL);
    call.writeTo(b);
    return b.array();
  }

  /** {@return the BATCH message of encoded calls} */
  static byte[] batch(List<Encoded> calls) {
    int size = 5;
    for (Encoded c : calls) {
      size += c.size();
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(BATCH).putInt(calls.size());
    for (Encoded c : calls) {
      c.writeTo(b);
    }
    return b.array();
  }

  /**
   * Reads one call from a CALL message (after its op byte) or from a BATCH's list.
   *
   * @param b the message, positioned at the call
   * @return the call
   * @throws CodecException if the bytes end early
   */
  static Call readCall(ByteBuffer b) {
    try {
      int objectId = b.getInt();
      int method = b.getShort();
      int argc = b.get() & 0xFF;
      byte[][] args = new byte[argc][];
      for (int i = 0; i < argc; i++) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
          throw new CodecException("manager call argument " + i + " has length " + len + " but "
              + b.remaining() + " bytes are left");
        }
        args[i] = new byte[len];
        b.get(args[i]);
      }
      return new Call(objectId, method, args);
    } catch (BufferUnderflowException e) {
      throw new CodecException("manager call ends early: " + b.capacity() + " bytes");
    }
  }

  /** {@return the answer carrying a value's bytes} */
  static byte[] value(byte[] value) {
    byte[] out = new byte[1 + value.length];
    out[0] = VALUE;
    System.arraycopy(value, 0, out, 1, value.length);
    return out;
  }

  /** {@return the answer carrying a failure: the original exception if it encodes, and its stand-in} */
  static byte[] failure(Throwable t, Codec codec) {
    FailureCodec.Encoded f = FailureCodec.encode(t, codec);
    byte[] original = f.original();
    int olen = original == null ? 0 : original.length;
    ByteBuffer b = ByteBuffer.allocate(5 + olen + f.standIn().length);
    b.put(FAILURE).putInt(original == null ? -1 : olen);
    if (original != null) {
      b.put(original);
    }
    b.put(f.standIn());
    return b.array();
  }

  /** {@return the answer to a BATCH} */
  static byte[] batchAnswer(List<byte[]> answers) {
    int size = 4;
    for (byte[] a : answers) {
      size += 4 + a.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(answers.size());
    for (byte[] a : answers) {
      b.putInt(a.length).put(a);
    }
    return b.array();
  }

  /**
   * Splits a BATCH answer into its answers.
   *
   * @param answer the message
   * @return one answer per call that ran
   */
  static byte[][] splitBatchAnswer(byte[] answer) {
    ByteBuffer b = ByteBuffer.wrap(answer);
    try {
      byte[][] out = new byte[b.getInt()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = new byte[b.getInt()];
        b.get(out[i]);
      }
      return out;
    } catch (BufferUnderflowException | NegativeArraySizeException e) {
      throw new CodecException("manager batch answer is malformed: " + answer.length + " bytes");
    }
  }

  /**
   * Reads an answer: the value, or the failure the method threw.
   *
   * @param answer the message
   * @param codec the client's codec for results
   * @return the decoded outcome
   */
  static Outcome read(byte[] answer, Codec codec) {
    if (answer.length == 0) {
      throw new CodecException("manager answer is empty");
    }
    if (answer[0] == VALUE) {
      return new Outcome(codec.decode(java.util.Arrays.copyOfRange(answer, 1, answer.length)), null);
    }
    if (answer[0] != FAILURE || answer.length < 5) {
      throw new CodecException("manager answer status must be 0 or 1: status=" + answer[0]
          + ", length=" + answer.length);
    }
    ByteBuffer b = ByteBuffer.wrap(answer, 1, answer.length - 1);
    int olen = b.getInt();
    if (olen < -1 || olen > b.remaining()) {
      throw new CodecException("manager failure answer has original length " + olen);
    }
    byte[] original = olen < 0 ? null : java.util.Arrays.copyOfRange(answer, 5, 5 + olen);
    byte[] standIn = java.util.Arrays.copyOfRange(answer, 5 + Math.max(olen, 0), answer.length);
    return new Outcome(null, FailureCodec.decode(original, standIn, codec));
  }

  /**
   * What an answer said.
   *
   * @param value the result, if no failure
   * @param failure what the method threw, or {@code null}
   */
  record Outcome(Object value, Throwable failure) {}
}
