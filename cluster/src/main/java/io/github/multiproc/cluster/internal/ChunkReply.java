package io.github.multiproc.cluster.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * What a member sends back for one chunk: the values as one value sequence
 * ({@link io.github.multiproc.ipc.codec.Codec#encodeAll}, decoded item by item), each failure in
 * the shared failure encoding ({@link io.github.multiproc.ipc.codec.FailureCodec}: the original and
 * a {@link io.github.multiproc.RemoteException} stand-in), the run time, and, when the chunk could
 * not even start, why ({@link #problem()}).
 *
 * <pre>
 *  long    executionNanos   -1 when the chunk did not run
 *  String  member           "127.0.0.1:5702 pid 4711 (uuid ...)"
 *  String  problem          null, or a DecodeProblem.Kind name
 *  String  problemDetail    the missing or refused class, or what was corrupt
 *  byte[]  values           the value sequence of the chunk's items; failed slots are null
 *  int     failureCount
 *  failureCount x { int position; byte[] original (may be null); byte[] standIn }
 * </pre>
 *
 * <p>Filled by one thread, then handed over by Hazelcast; not thread-safe.
 */
public final class ChunkReply implements DataSerializable {

  long executionNanos = -1;
  String member;
  String problem;
  String problemDetail;
  byte[] values;
  int[] failedPositions = new int[0];
  byte[][] failures = new byte[0][];
  byte[][] standIns = new byte[0][];

  /** For Hazelcast's deserialization. */
  public ChunkReply() {}

  static ChunkReply problem(String member, DecodeProblem p) {
    ChunkReply r = new ChunkReply();
    r.member = member;
    r.problem = p.kind().name();
    r.problemDetail = p.detail();
    return r;
  }

  /** {@return the member that ran (or refused) the chunk, with its pid} */
  public String member() {
    return member;
  }

  /** {@return a {@link DecodeProblem.Kind} name when the chunk could not start, else null} */
  public String problem() {
    return problem;
  }

  /** {@return the class the problem is about, or what was wrong} */
  public String problemDetail() {
    return problemDetail;
  }

  /** {@return how long the items took on the member, or -1} */
  public long executionNanos() {
    return executionNanos;
  }

  byte[] values() {
    return values;
  }

  int[] failedPositions() {
    return failedPositions;
  }

  byte[] failure(int k) {
    return failures[k];
  }

  byte[] standIn(int k) {
    return standIns[k];
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(executionNanos);
    out.writeString(member);
    out.writeString(problem);
    out.writeString(problemDetail);
    out.writeByteArray(values);
    out.writeInt(failedPositions.length);
    for (int k = 0; k < failedPositions.length; k++) {
      out.writeInt(failedPositions[k]);
      out.writeByteArray(failures[k]);
      out.writeByteArray(standIns[k]);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    executionNanos = in.readLong();
    member = in.readString();
    problem = in.readString();
    problemDetail = in.readString();
    values = in.readByteArray();
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("failure count must be >= 0: failureCount=" + n);
    }
    failedPositions = new int[n];
    failures = new byte[n][];
    standIns = new byte[n][];
    for (int k = 0; k < n; k++) {
      failedPositions[k] = in.readInt();
      failures[k] = in.readByteArray();
      standIns[k] = in.readByteArray();
    }
  }
}
