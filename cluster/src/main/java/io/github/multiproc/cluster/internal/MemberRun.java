package io.github.multiproc.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.github.multiproc.Task;
import io.github.multiproc.ipc.codec.AllowRule;
import io.github.multiproc.ipc.codec.CodecException;
import io.github.multiproc.ipc.codec.DecodedItems;
import io.github.multiproc.ipc.codec.FailureCodec;
import io.github.multiproc.ipc.codec.JdkCodec;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The member's side of a run: what travels to the member (the call's task and the chunk's items,
 * encoded by the caller) and what it does there. On the member, {@link #call()} decodes them
 * behind the member's own allow rule (ipc's default rule plus the whitelist of its Hazelcast Java
 * deserialization filter, see {@link ClusterCodecs}), applies the task to every item in order and
 * answers with a {@link ChunkReply}.
 *
 * {@snippet :
 * CompletableFuture<ChunkReply> reply =
 *     scheduler.submit(new MemberRun(encodedTask, chunk.size(), encodedItems), idempotent);
 * }
 *
 * <pre>
 *  byte[] task    JDK serialization of the Task (encoded once per call, shared by its chunks)
 *  int    count   the number of items
 *  byte[] items   the value sequence of the items (Codec.encodeAll)
 * </pre>
 *
 * <p>A class the member cannot load, or refuses, is reported in the reply rather than thrown, so
 * the caller can say which class and which member. An interrupt (the caller cancelled the chunk)
 * stops the chunk between items or inside a task that answers interrupts.
 */
public final class MemberRun implements Callable<ChunkReply>, DataSerializable, HazelcastInstanceAware {

  private byte[] task;
  private int count;
  private byte[] items;
  private transient HazelcastInstance member;

  /** For Hazelcast's deserialization. */
  public MemberRun() {}

  /**
   * Creates the run.
   *
   * @param task the encoded task
   * @param count the number of items
   * @param items the encoded items ({@link io.github.multiproc.ipc.codec.Codec#encodeAll})
   */
  public MemberRun(byte[] task, int count, byte[] items) {
    this.task = task;
    this.count = count;
    this.items = items;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.member = instance;
  }

  @Override
  @SuppressWarnings("unchecked")
  public ChunkReply call() throws InterruptedException {
    MemberFacts facts = MemberFacts.of(member);
    JdkCodec codec = ClusterCodecs.codec(facts.rule(), loader(member));
    Task<Object, Object> fn;
    Object[] inputs;
    try {
      fn = (Task<Object, Object>) codec.decode(task);
      DecodedItems decoded = codec.decodeAll(items, count);
      inputs = decoded.valuesOrThrow(); // a chunk runs whole: the first bad input is the problem
    } catch (CodecException | ClassCastException e) {
      return ChunkReply.problem(facts.self(), DecodeProblem.of(e));
    }
    int n = inputs.length;
    Object[] values = new Object[n];
    Throwable[] failed = new Throwable[n];
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("chunk cancelled by the caller before item " + i + " of " + n);
      }
      try {
        values[i] = fn.apply(inputs[i]);
      } catch (InterruptedException e) {
        throw e; // cancelled while the task waited: the caller no longer wants this chunk
      } catch (Throwable t) {
        failed[i] = t;
      }
    }
    ChunkReply reply = new ChunkReply();
    reply.executionNanos = System.nanoTime() - start;
    reply.member = facts.self();
    encodeValues(values, failed, reply, codec);
    encodeFailures(failed, reply, codec);
    return reply;
  }

  private static void encodeValues(Object[] values, Throwable[] failed, ChunkReply reply, JdkCodec codec) {
    try {
      reply.values = codec.encodeAll(Arrays.asList(values));
      return;
    } catch (CodecException e) {
      // some value does not serialize: find which, fail those items, send the rest
    }
    for (int i = 0; i < values.length; i++) {
      if (failed[i] == null && values[i] != null) {
        try {
          codec.encode(values[i]);
        } catch (CodecException e) {
          NotSerializableException n = new NotSerializableException("the task's result is a "
              + values[i].getClass().getName() + ", which does not serialize (" + e.getMessage()
              + "); results travel back from cluster members, so they must be Serializable");
          n.initCause(e);
          failed[i] = n;
          values[i] = null;
        }
      }
    }
    reply.values = codec.encodeAll(Arrays.asList(values));
  }

  private static void encodeFailures(Throwable[] failed, ChunkReply reply, JdkCodec codec) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < failed.length; i++) {
      if (failed[i] != null) {
        positions.add(i);
      }
    }
    int k = positions.size();
    reply.failedPositions = new int[k];
    reply.failures = new byte[k][];
    reply.standIns = new byte[k][];
    for (int j = 0; j < k; j++) {
      FailureCodec.Encoded e = FailureCodec.encode(failed[positions.get(j)], codec);
      reply.failedPositions[j] = positions.get(j);
      reply.failures[j] = e.original();
      reply.standIns[j] = e.standIn();
    }
  }

  /**
   * What every chunk on a member needs and nothing changes: its description and its allow rule,
   * made once per member (kept in its user context) instead of once per chunk.
   */
  private record MemberFacts(String self, AllowRule rule) {
    private static final String KEY = MemberFacts.class.getName();

    static MemberFacts of(HazelcastInstance member) {
      if (member == null) {
        return new MemberFacts(describeSelf(null), ClusterCodecs.memberRule(null));
      }
      return (MemberFacts) member.getUserContext().computeIfAbsent(KEY,
          k -> new MemberFacts(describeSelf(member), ClusterCodecs.memberRule(member)));
    }
  }

  private static String describeSelf(HazelcastInstance member) {
    String pid = "pid " + ProcessHandle.current().pid();
    return member == null ? pid : member.getCluster().getLocalMember().getAddress() + " " + pid;
  }

  private static ClassLoader loader(HazelcastInstance member) {
    ClassLoader configured = member == null ? null : member.getConfig().getClassLoader();
    if (configured != null) {
      return configured;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : MemberRun.class.getClassLoader();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(task);
    out.writeInt(count);
    out.writeByteArray(items);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    task = in.readByteArray();
    count = in.readInt();
    items = in.readByteArray();
  }
}
