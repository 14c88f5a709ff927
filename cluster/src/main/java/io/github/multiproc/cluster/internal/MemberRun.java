package io.github.multiproc.cluster.internal;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.github.multiproc.RemoteException;
import io.github.multiproc.Task;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The member's side of a run: what travels to the member (the call's task and the chunk's items,
 * each serialized as one unit by the caller) and what it does there. On the member,
 * {@link #call()} decodes them behind the member's own allow-list (the whitelist of its
 * Hazelcast Java deserialization filter), applies the task to every item in order and answers
 * with a {@link ChunkReply}.
 *
 * {@snippet :
 * CompletableFuture<ChunkReply> reply = scheduler.submit(new MemberRun(encodedTask, encodedItems), idempotent);
 * }
 *
 * <pre>
 *  byte[] task    JDK serialization of the Task (encoded once per call, shared by its chunks)
 *  byte[] items   JDK serialization of an ArrayList of the chunk's items
 * </pre>
 *
 * <p>A class the member cannot load, or refuses, is reported in the reply rather than thrown, so
 * the caller can say which class and which member. An interrupt (the caller cancelled the chunk)
 * stops the chunk between items or inside a task that answers interrupts.
 */
public final class MemberRun implements Callable<ChunkReply>, DataSerializable, HazelcastInstanceAware {

  private byte[] task;
  private byte[] items;
  private transient HazelcastInstance member;

  /** For Hazelcast's deserialization. */
  public MemberRun() {}

  /**
   * Creates the run.
   *
   * @param task the encoded task
   * @param items the encoded items
   */
  public MemberRun(byte[] task, byte[] items) {
    this.task = task;
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
    String self = facts.self();
    ClassAllowList allowList = facts.allowList();
    ClassLoader loader = loader(member);
    Task<Object, Object> fn;
    List<Object> inputs;
    try {
      fn = (Task<Object, Object>) ObjectCodec.decode(task, loader, allowList);
      inputs = (List<Object>) ObjectCodec.decode(items, loader, allowList);
    } catch (ObjectCodec.DecodeException e) {
      return ChunkReply.problem(self, e);
    }
    int n = inputs.size();
    Object[] values = new Object[n];
    Throwable[] failed = new Throwable[n];
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("chunk cancelled by the caller before item " + i + " of " + n);
      }
      try {
        values[i] = fn.apply(inputs.get(i));
      } catch (InterruptedException e) {
        throw e; // cancelled while the task waited: the caller no longer wants this chunk
      } catch (Throwable t) {
        failed[i] = t;
      }
    }
    ChunkReply reply = new ChunkReply();
    reply.executionNanos = System.nanoTime() - start;
    reply.member = self;
    encodeValues(values, failed, reply);
    encodeFailures(failed, reply);
    return reply;
  }

  private static void encodeValues(Object[] values, Throwable[] failed, ChunkReply reply) {
    try {
      reply.values = ObjectCodec.encode(values);
      return;
    } catch (UncheckedIOException e) {
      // some value does not serialize: find which, fail those items, send the rest
    }
    for (int i = 0; i < values.length; i++) {
      if (failed[i] == null && values[i] != null) {
        try {
          ObjectCodec.encode(values[i]);
        } catch (UncheckedIOException e) {
          failed[i] = new NotSerializableException("the task's result is a " + values[i].getClass().getName()
              + ", which does not serialize (" + ObjectCodec.notSerializableClass(e)
              + "); results travel back from cluster members, so they must be Serializable");
          values[i] = null;
        }
      }
    }
    reply.values = ObjectCodec.encode(values);
  }

  private static void encodeFailures(Throwable[] failed, ChunkReply reply) {
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
      Throwable t = failed[positions.get(j)];
      reply.failedPositions[j] = positions.get(j);
      try {
        reply.failures[j] = ObjectCodec.encode(t);
      } catch (UncheckedIOException e) {
        reply.failures[j] = null; // the stand-in will do
      }
      reply.standIns[j] = ObjectCodec.encode(RemoteException.describing(t));
    }
  }

  /**
   * What every chunk on a member needs and nothing changes: its description and its allow-list,
   * made once per member (kept in its user context) instead of once per chunk.
   */
  private record MemberFacts(String self, ClassAllowList allowList) {
    private static final String KEY = MemberFacts.class.getName();

    static MemberFacts of(HazelcastInstance member) {
      if (member == null) {
        return new MemberFacts(describeSelf(null), allowListOf(null));
      }
      return (MemberFacts) member.getUserContext().computeIfAbsent(KEY,
          k -> new MemberFacts(describeSelf(member), allowListOf(member)));
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

  /** The member's own Hazelcast whitelist, so a caller cannot widen what a member accepts. */
  static ClassAllowList allowListOf(HazelcastInstance member) {
    JavaSerializationFilterConfig filter = member == null ? null
        : member.getConfig().getSerializationConfig().getJavaSerializationFilterConfig();
    if (filter == null || filter.getWhitelist() == null || filter.getWhitelist().isEmpty()) {
      return ClassAllowList.ofPrefixes(List.of());
    }
    ClassFilter whitelist = filter.getWhitelist();
    return ClassAllowList.of(whitelist::isListed, whitelist.toString());
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(task);
    out.writeByteArray(items);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    task = in.readByteArray();
    items = in.readByteArray();
  }
}
