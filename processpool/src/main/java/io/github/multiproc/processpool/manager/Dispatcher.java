package io.github.multiproc.processpool.manager;

import io.github.multiproc.ipc.codec.Codec;
import io.github.multiproc.ipc.codec.CodecException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers one request message at the manager ({@link CallWire}): decodes the arguments, runs the
 * method ({@link ServedObjects.Served#invoke}), encodes the result or the failure. A failure is
 * anything thrown on the way, the method's own exception, an argument that does not decode or a
 * result that does not encode (its message names the class and the path), and it goes back to
 * the caller; only a malformed message is the caller's protocol error.
 *
 * <p>Thread safety: thread-safe; each session thread calls it for its own client.
 */
final class Dispatcher {

  private final ServedObjects objects;
  private final ManagerCodecs.Server codecs;

  Dispatcher(ServedObjects objects, ManagerCodecs.Server codecs) {
    this.objects = objects;
    this.codecs = codecs;
  }

  /**
   * Answers a request.
   *
   * @param request the message
   * @return the answer message
   * @throws CodecException if the message is malformed
   */
  byte[] handle(byte[] request) {
    if (request.length == 0) {
      throw new CodecException("manager request is empty");
    }
    ByteBuffer b = ByteBuffer.wrap(request, 1, request.length - 1);
    if (request[0] == CallWire.CALL) {
      return answer(CallWire.readCall(b));
    }
    if (request[0] != CallWire.BATCH) {
      throw new CodecException("manager request op must be 1 (call) or 2 (batch): op=" + request[0]);
    }
    int count = b.getInt();
    List<CallWire.Call> calls = new ArrayList<>(Math.min(Math.max(count, 0), 1 << 16));
    for (int i = 0; i < count; i++) {
      calls.add(CallWire.readCall(b));
    }
    List<byte[]> answers = new ArrayList<>(calls.size());
    for (CallWire.Call c : calls) {
      byte[] a = answer(c);
      answers.add(a);
      if (a[0] == CallWire.FAILURE) {
        break; // a batch stops at its first failure
      }
    }
    return CallWire.batchAnswer(answers);
  }

  private byte[] answer(CallWire.Call call) {
    Codec codec = codecs.codec();
    try {
      ServedObjects.Served s = objects.get(call.objectId());
      Object[] args = new Object[call.args().length];
      for (int i = 0; i < args.length; i++) {
        args[i] = codec.decode(call.args()[i]);
      }
      Object result = s.invoke(call.method(), args);
      return CallWire.value(codec.encode(result));
    } catch (Throwable t) {
      return CallWire.failure(t, codec);
    }
  }
}
