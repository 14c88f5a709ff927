package io.github.multiproc.ipc.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link JdkCodec#encodeAll} and {@link JdkCodec#decodeAll}: a sequence of values in one JDK
 * serialization stream, written so that every item can be decoded without the others.
 *
 * <pre>
 *  0             4                    4+4n           8+4n                 8+4n+t
 *  +-------------+--------------------+--------------+--------------------+--------------------+
 *  | count int32 | ends int32 x count | tableLength  | descriptor table   | item stream        |
 *  |     n       |                    | int32  t     | (t bytes)          | (the rest)         |
 *  +-------------+--------------------+--------------+--------------------+--------------------+
 *
 *  ends[i]          offset in the item stream just past item i; non-decreasing; ends[n-1] is
 *                   the item stream's length
 *  descriptor table a JDK stream (header AC ED 00 05, then block data) holding every class
 *                   descriptor the items use, in id order, each in the standard format (class
 *                   name, serialVersionUID, flags, fields), so versions are checked as usual
 *  item stream      a JDK stream: header | item 0 | TC_RESET item 1 | TC_RESET item 2 | ...
 *                   where a class descriptor is written as int32 id into the table
 * </pre>
 *
 * <p>Why: the reset before each item means no item refers to an object of another, and the
 * table means no item needs a class descriptor written inside another; so when item {@code i}
 * fails (a refused or missing class, corrupt bytes, a {@code readObject} that throws), the
 * reader starts a fresh stream at {@code ends[i]} and the items after it decode as if nothing
 * happened. Descriptors travel once per call rather than once per item, which keeps the cost
 * near that of one plain stream (see {@code docs/benchmarks.md}).
 *
 * <p>Stateless; thread-safe (each call has its own streams).
 */
final class ItemStreams {

  /** The JDK serialization stream header: STREAM_MAGIC, STREAM_VERSION. */
  private static final byte[] HEADER = {(byte) 0xAC, (byte) 0xED, 0x00, 0x05};

  private ItemStreams() {}

  /** Writes {@code values} in the layout above. */
  static byte[] write(List<?> values) throws IOException {
    int n = values.size();
    ByteArrayOutputStream tableBytes = new ByteArrayOutputStream(256);
    ByteArrayOutputStream itemBytes = new ByteArrayOutputStream(256 + 32 * n);
    TableOut table = new TableOut(tableBytes);
    ItemsOut items = new ItemsOut(itemBytes, table);
    int[] ends = new int[n];
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        items.reset();
      }
      items.writeObject(values.get(i));
      items.flush();
      ends[i] = itemBytes.size();
    }
    items.close();
    table.close();
    ByteBuffer out = ByteBuffer.allocate(8 + 4 * n + tableBytes.size() + itemBytes.size());
    out.putInt(n);
    for (int end : ends) {
      out.putInt(end);
    }
    out.putInt(tableBytes.size());
    out.put(tableBytes.toByteArray());
    out.put(itemBytes.toByteArray());
    return out.array();
  }

  /** The parsed framing of a sequence: where each part is. */
  record Layout(int[] ends, int tableAt, int tableLength, int itemsAt, int itemsLength) {}

  /**
   * Parses the framing; any inconsistency is a structural error of the whole payload.
   *
   * @throws CodecException naming what is wrong
   */
  static Layout layout(byte[] bytes, int expectedCount) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.remaining() < 8) {
      throw new CodecException("a value sequence needs at least 8 bytes: length=" + bytes.length);
    }
    int n = b.getInt();
    if (n != expectedCount) {
      throw new CodecException("value sequence count must be " + expectedCount + ": count=" + n);
    }
    if ((long) 4 * n + 4 > b.remaining()) {
      throw new CodecException("value sequence of " + n + " items needs " + (4L * n + 4)
          + " bytes of offsets: " + b.remaining() + " left");
    }
    int[] ends = new int[n];
    for (int i = 0; i < n; i++) {
      ends[i] = b.getInt();
    }
    int tableLength = b.getInt();
    int tableAt = b.position();
    if (tableLength < HEADER.length || tableLength > b.remaining() - HEADER.length) {
      throw new CodecException("descriptor table length must be in [4, " + (b.remaining() - HEADER.length)
          + "]: tableLength=" + tableLength);
    }
    int itemsAt = tableAt + tableLength;
    int itemsLength = bytes.length - itemsAt;
    int previous = HEADER.length;
    for (int i = 0; i < n; i++) {
      if (ends[i] < previous || ends[i] > itemsLength) {
        throw new CodecException("item " + i + " must end in [" + previous + ", " + itemsLength
            + "] of the item stream: end=" + ends[i]);
      }
      previous = ends[i];
    }
    if (n > 0 && ends[n - 1] != itemsLength) {
      throw new CodecException("the last item must end the item stream at " + itemsLength + ": end=" + ends[n - 1]);
    }
    return new Layout(ends, tableAt, tableLength, itemsAt, itemsLength);
  }

  /**
   * Reads the descriptor table (no class is resolved here).
   *
   * @throws IOException if it is malformed
   */
  static ObjectStreamClass[] readTable(byte[] bytes, Layout l, DecodeFilter filter) throws IOException {
    try (TableIn in = new TableIn(new ByteArrayInputStream(bytes, l.tableAt(), l.tableLength()), filter)) {
      List<ObjectStreamClass> table = new ArrayList<>();
      while (in.available() > 0) {
        table.add(in.next());
      }
      return table.toArray(ObjectStreamClass[]::new);
    } catch (ClassNotFoundException e) {
      throw new InvalidClassException("descriptor table: " + e.getMessage());
    }
  }

  /** Opens the item stream at item {@code i} (a fresh stream: the header, then its bytes). */
  static InputStream itemsFrom(byte[] bytes, Layout l, int i) {
    int from = i == 0 ? HEADER.length : l.ends()[i - 1];
    return new SequenceInputStream(new ByteArrayInputStream(HEADER),
        new ByteArrayInputStream(bytes, l.itemsAt() + from, l.itemsLength() - from));
  }

  /** The item stream's writer: a class descriptor is its table id (the table gets it once). */
  private static final class ItemsOut extends ObjectOutputStream {
    private final TableOut table;

    ItemsOut(OutputStream out, TableOut table) throws IOException {
      super(out);
      this.table = table;
    }

    @Override
    protected void writeClassDescriptor(ObjectStreamClass desc) throws IOException {
      writeInt(table.idOf(desc));
    }
  }

  /** The descriptor table's writer: every descriptor in the standard format, in id order. */
  private static final class TableOut extends ObjectOutputStream {
    private final Map<ObjectStreamClass, Integer> ids = new IdentityHashMap<>();

    TableOut(OutputStream out) throws IOException {
      super(out);
    }

    int idOf(ObjectStreamClass desc) throws IOException {
      Integer id = ids.get(desc);
      if (id == null) {
        id = ids.size();
        ids.put(desc, id);
        writeClassDescriptor(desc); // the standard format, into this stream's block data
      }
      return id;
    }
  }

  /** The descriptor table's reader. */
  private static final class TableIn extends FilteredInput {
    TableIn(InputStream in, DecodeFilter filter) throws IOException {
      super(in, filter, null);
    }

    ObjectStreamClass next() throws IOException, ClassNotFoundException {
      return readClassDescriptor(); // the standard format
    }
  }

  /**
   * The item stream's reader: a class descriptor is an id into the table; the classes it
   * resolves are cached per id, so a class costs one lookup per call, not one per item.
   */
  static final class ItemsIn extends FilteredInput {
    private final ObjectStreamClass[] table;
    private final Class<?>[] resolved;
    private int lastId = -1;
    private String firstClass;

    ItemsIn(InputStream in, DecodeFilter filter, ClassLoader loader, ObjectStreamClass[] table,
        Class<?>[] resolved) throws IOException {
      super(in, filter, loader);
      this.table = table;
      this.resolved = resolved;
    }

    @Override
    protected ObjectStreamClass readClassDescriptor() throws IOException {
      int id = readInt();
      if (id < 0 || id >= table.length) {
        throw new StreamCorruptedException("class descriptor id must be in [0, " + table.length + "): id=" + id);
      }
      lastId = id;
      if (firstClass == null) {
        firstClass = table[id].getName();
      }
      return table[id];
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      int id = lastId;
      if (id >= 0 && table[id] == desc) {
        Class<?> c = resolved[id];
        if (c == null) {
          c = super.resolveClass(desc);
          resolved[id] = c;
        }
        return c;
      }
      return super.resolveClass(desc);
    }

    /** {@return the class of the first descriptor the current item named, and forgets it} */
    String takeFirstClass() {
      String c = firstClass;
      firstClass = null;
      return c;
    }
  }
}
